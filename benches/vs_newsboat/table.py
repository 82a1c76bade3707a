"""The one markdown table: a row per figure, newsboat and tidings side by side, their ratio
(newsboat ÷ tidings, so above 1 means tidings is faster or smaller), and a note; then the
machine it ran on."""

from dataclasses import dataclass


@dataclass
class Row:
    measure: str
    newsboat: str
    tidings: str
    ratio: str = "–"
    note: str = ""


def render(rows: list[Row], machine: list[str], title: str) -> str:
    out = [f"### {title}", "", "| measure | newsboat 2.21 | tidings | newsboat ÷ tidings | notes |",
           "| --- | ---: | ---: | ---: | --- |"]
    for r in rows:
        cells = [r.measure, r.newsboat, r.tidings, r.ratio, r.note]
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    out += ["", "Machine:", ""] + [f"- {line}" for line in machine] + [""]
    return "\n".join(out)
