"""A run of thousands of like rows (a register, a long list) is judged by its first rows and kept
whole (scraper/extract/runs.py): the page reads exactly as it would if every row were judged,
at a cost that no longer multiplies the rows by every pass over the page."""
from __future__ import annotations

import pytest

from scraper.extract import rules
from scraper.extract.main_text import extract
from scraper.extract.template import SiteTemplate

HEAD = "<!DOCTYPE html><html lang='pl'><head><meta charset='utf-8'><title>{0}</title></head><body>"
NAV = "<nav><a href='/'>Start</a> <a href='/aktualnosci/'>Aktualności</a></nav>"
LEAD = ("<p>Miejski Ośrodek Pomocy Społecznej publikuje rejestr decyzji wydanych w 2024 roku, "
        "w kolejności ich wydania.</p>")


def register(rows: int) -> str:
    body = "".join(f"<tr><td>{i}</td><td>Zasiłek celowy nr {i}</td><td>{i % 28 + 1:02d}.03.2024</td>"
                   f"<td><a href='/decyzje/{i}.pdf'>decyzja {i}</a></td></tr>" for i in range(rows))
    return (HEAD.format("Rejestr decyzji") + NAV + f"<main><h1>Rejestr decyzji</h1>{LEAD}<table>{body}</table>"
            "<p>Stan na dzień 31.03.2024.</p></main></body></html>")


def loose_lines(rows: int) -> str:
    """Paragraphs with loose text between them, and a nested run in one of them."""
    body = "".join(f"<p>Komunikat nr {i} w sprawie wydawania posiłków dla osób potrzebujących.</p>"
                   f"{'dopisek ' + str(i) if i % 7 == 0 else ''}" for i in range(rows))
    nested = "<div>" + "".join(f"<p>Punkt {i}: dyżur w ośrodku.</p>" for i in range(rows)) + "</div>"
    return (HEAD.format("Komunikaty") + f"<article><h1>Komunikaty</h1>{LEAD}{body}{nested}</article></body></html>")


def side_list(rows: int) -> str:
    """An article beside a long list of links that is no content."""
    links = "".join(f"<li><a href='/tag/{i}'>temat {i}</a></li>" for i in range(rows))
    prose = "".join(f"<p>Akapit {i} artykułu o dodatku osłonowym, który mija z końcem miesiąca.</p>" for i in range(8))
    return (HEAD.format("Dodatek osłonowy") + f"<article><h1>Dodatek osłonowy</h1>{LEAD}{prose}</article>"
            f"<div><ul>{links}</ul></div></body></html>")


def definitions(rows: int) -> str:
    """A register written as a definition list: term and value in turn."""
    pairs = "".join(f"<dt>Decyzja {i}</dt><dd>Zasiłek celowy przyznany dnia {i % 28 + 1:02d}.03.2024</dd>" for i in range(rows))
    return HEAD.format("Rejestr") + f"<main><h1>Rejestr</h1>{LEAD}<dl>{pairs}</dl></main></body></html>"


def read(html: str, judged: int, monkeypatch) -> tuple:
    monkeypatch.setattr(rules, "RUN_JUDGED_ROWS", judged)
    out = extract(html, "https://ops.example.pl/rejestr", SiteTemplate())
    return out.body, out.is_article, out.title, out.date_lines, [a["url"] for a in out.attachments]


@pytest.mark.parametrize("page", [register, loose_lines, side_list, definitions])
def test_a_page_reads_the_same_whether_its_long_runs_are_judged_whole_or_by_their_first_rows(page, monkeypatch):
    """Enough first rows weigh like the whole run (a run's rows add to its container's score:
    with 3 rows of 300 a table no longer outweighs the prose around it, with 1,000 of 50,000 it
    still does)."""
    html = page(300)
    whole = read(html, 10**9, monkeypatch)
    assert read(html, 20, monkeypatch) == whole
    assert read(html, 50, monkeypatch) == whole


def test_every_row_of_a_long_register_is_in_the_body_in_order_with_its_attachment(monkeypatch):
    body, is_article, _, _, attachments = read(register(300), 20, monkeypatch)
    rows = [line for line in body.split("\n\n") if "Zasiłek celowy" in line]
    assert rows == [f"{i} Zasiłek celowy nr {i} {i % 28 + 1:02d}.03.2024 decyzja {i}" for i in range(300)]
    assert is_article
    assert attachments == [f"https://ops.example.pl/decyzje/{i}.pdf" for i in range(300)]


def test_loose_text_between_the_rows_set_aside_is_kept_in_its_place(monkeypatch):
    body = read(loose_lines(300), 20, monkeypatch)[0]
    assert "dopisek 294" in body and body.index("Komunikat nr 294") < body.index("dopisek 294") < body.index("Komunikat nr 295")
    assert "Punkt 299: dyżur w ośrodku." in body


def test_a_long_list_that_is_no_content_stays_out_of_the_body(monkeypatch):
    body = read(side_list(300), 20, monkeypatch)[0]
    assert "Akapit 7 artykułu" in body and "temat" not in body


def test_the_rows_set_aside_are_judged_one_by_one_when_a_judged_row_was_no_body_text(monkeypatch):
    """Read as data only while the run's judged rows were all body text: a list whose first
    rows hold share buttons is judged row by row, so its later buttons go too."""
    rows = "".join(f"<li>{'Udostępnij' if i % 10 == 0 else f'Pozycja {i}: zasiłek celowy przyznany'}</li>" for i in range(300))
    html = HEAD.format("Wykaz") + f"<article><h1>Wykaz</h1>{LEAD}<ul>{rows}</ul></article></body></html>"
    body = read(html, 20, monkeypatch)[0]
    assert "Udostępnij" not in body and "Pozycja 299: zasiłek celowy przyznany" in body
    assert body == read(html, 10**9, monkeypatch)[0]


def test_a_definition_list_is_a_run_of_its_pairs(monkeypatch):
    body = read(definitions(300), 20, monkeypatch)[0]
    assert body.endswith("Decyzja 299\n\nZasiłek celowy przyznany dnia 20.03.2024")
    html = definitions(300)
    from lxml import html as lxml_html
    from scraper.extract.runs import set_aside_long_runs
    monkeypatch.setattr(rules, "RUN_JUDGED_ROWS", 20)
    [run] = set_aside_long_runs(lxml_html.document_fromstring(html).find("body"))
    assert [row.tag for row in run.judged[:4]] == ["dt", "dd", "dt", "dd"] and len(run.judged) == 40 and len(run.rest) == 560


def test_a_run_inside_a_row_set_aside_is_read_with_it(monkeypatch):
    """Runs within runs: a list whose later items hold long lists of their own."""
    items = "".join(f"<li>Grupa {i}: wsparcie<ul>{''.join(f'<li>osoba {i}.{j} zakwalifikowana</li>' for j in range(30))}</ul></li>"
                    for i in range(40))
    html = HEAD.format("Wykaz") + f"<article><h1>Wykaz</h1>{LEAD}<ul>{items}</ul></article></body></html>"
    whole = read(html, 10**9, monkeypatch)
    assert "osoba 39.29 zakwalifikowana" in whole[0]
    assert read(html, 20, monkeypatch) == whole


def test_the_content_read_inside_one_row_does_not_take_the_rest_of_the_run(monkeypatch):
    """A page of a thousand boxes whose content is read in one of them (its own prose, the
    others a short line each) keeps to that box."""
    posts = "".join(f"<div><p>Wpis {i}: dyżur.</p></div>" for i in range(1, 300))
    article = "<div>" + "".join(f"<p>Akapit {i} o dodatku osłonowym, który mija z końcem miesiąca, dla rodzin i seniorów.</p>"
                                for i in range(12)) + "</div>"
    html = HEAD.format("Dodatek osłonowy") + f"<main><h1>Dodatek osłonowy</h1><section>{article}{posts}</section></main></body></html>"
    whole = read(html, 10**9, monkeypatch)
    assert "Akapit 11" in whole[0] and "Wpis" not in whole[0]
    assert read(html, 20, monkeypatch) == whole
