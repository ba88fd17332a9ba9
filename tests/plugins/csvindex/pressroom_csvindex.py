"""Example pressroom exporter: one CSV index of every question per collection."""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from pressroom.exporter import ExportContext, Exporter, ExporterOptions
from pressroom.model import Book
from pressroom.urls import absolute_url


@dataclass
class CsvIndexOptions(ExporterOptions):
    """Options from [tool.pressroom.exporters.csvindex]."""

    delimiter: str = ","
    words: bool = True  # add a column with the answer's word count


class CsvIndexExporter(Exporter[CsvIndexOptions]):
    """Writes csvindex/<collection>.csv: id, question, absolute URL (and word count)."""

    name = "csvindex"
    suffix = ".csv"
    math = "tex"
    description = "CSV index of the questions of each collection"

    def export(self, books: Sequence[Book], ctx: ExportContext) -> None:
        """One CSV file per book, a row per article in book order."""
        for book in books:
            text = io.StringIO()
            writer = csv.writer(text, delimiter=self.options.delimiter, lineterminator="\n")
            writer.writerow(["id", "question", "url"] + (["words"] if self.options.words else []))
            for rendered in book.articles:
                article = rendered.article
                row = [article.id, article.question, absolute_url(ctx.base_url, article.url)]
                writer.writerow(row + ([len(rendered.text.split())] if self.options.words else []))
            ctx.write(f"{book.slug}{self.suffix}", text.getvalue())
