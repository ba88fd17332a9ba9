// veraPDF's validation (the Greenfield parser and its PDF/A and PDF/UA profiles) over PDF files:
// java -cp CLASSPATH VeraPdfCheck.java FLAVOUR FILE... prints, per file, a line
// "FILE<TAB>compliant" or "FILE<TAB>not compliant", then one "FAILED<TAB>rule<TAB>message<TAB>where"
// line per failed check. FLAVOUR is veraPDF's: 3u for PDF/A-3u, ua1 for PDF/UA-1.
import java.io.FileInputStream;
import java.io.InputStream;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

public class VeraPdfCheck {
    public static void main(String[] args) throws Exception {
        VeraGreenfieldFoundryProvider.initialise();
        PDFAFlavour flavour = PDFAFlavour.fromString(args[0]);
        for (int i = 1; i < args.length; i++) {
            try (InputStream in = new FileInputStream(args[i]);
                 PDFAParser parser = Foundries.defaultInstance().createParser(in, flavour)) {
                PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false);
                ValidationResult result = validator.validate(parser);
                System.out.println(args[i] + "\t" + (result.isCompliant() ? "compliant" : "not compliant"));
                for (TestAssertion check : result.getTestAssertions()) {
                    if (check.getStatus() == TestAssertion.Status.FAILED) {
                        System.out.println("FAILED\t" + check.getRuleId().getClause() + "-"
                                + check.getRuleId().getTestNumber() + "\t" + check.getMessage()
                                + "\t" + check.getLocation().getContext());
                    }
                }
            }
        }
    }
}
