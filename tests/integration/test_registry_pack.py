"""`testlearn registry-pack`: a pilot's Evaluation Registry entry, checked against the
registry's rules, as a page to copy from (PDF and HTML) and a row of its admin import CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import sqlite3
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from testlearn.domain import registry_terms
from testlearn.domain.registry_entry import month_name, registry_problems
from testlearn.domain.vocabulary import EvaluationDesign, EvaluationType
from testlearn.errors import InvalidValue
from testlearn.services import databases, pilots
from tests.builders import pilot
from tests.conftest import Cli, files_snapshot

SHARED = Path(__file__).resolve().parents[3] / "shared" / "context" / "standards"
REGISTRY_FILES = Path(registry_terms.__file__).with_name("registry_vocabularies")
LINK = "https://www.gov.uk/government/publications/speech-and-language-screening-evaluation"


@pytest.fixture
def demo_cli(demo_file: Path, tmp_path: Path) -> Cli:
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, path)
    return Cli(path)


@pytest.fixture
def own(db: Any) -> Iterator[Any]:
    """A register with one pilot at the design stage: nothing registered, nothing analysed."""
    pilots.create_pilot(
        pilot(
            status="design",
            evaluation_types=["impact"],
            evaluation_design="before_after",
            partner_organisations=["HM Treasury", "Two county councils"],
            start_date="2026-04-01",
        ),
        db=db,
        actor="ana",
    )
    yield db


def ok(run: Any) -> Any:
    assert run.code == 0, run.err
    return run


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte-order mark, as the registry's"
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    return header, rows


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


# -- a whole pack ---------------------------------------------------------------------------


def test_a_published_evaluation_gives_the_page_and_the_import_row(
    demo_cli: Cli, tmp_path: Path
) -> None:
    ok(demo_cli("set", "DFE-TL-004", "report_link", LINK))
    ok(demo_cli("set", "DFE-TL-004", "report_published_on", "20/11/2026"))
    ok(demo_cli("set", "DFE-TL-004", "policy_areas", "education; childcare-parenting"))
    out = tmp_path / "pack"
    run = ok(
        demo_cli(
            "registry-pack", "DFE-TL-004", "--out", str(out), "--timestamp", "2026-12-03T09:00Z"
        )
    )
    assert "DFE-TL-004's Evaluation Registry entry" in run.out
    assert sorted(p.name for p in out.iterdir()) == [
        "DFE-TL-004-registry-entry.csv",
        "DFE-TL-004-registry-entry.html",
        "DFE-TL-004-registry-entry.pdf",
    ]

    # The import file: the registry's header byte for byte, then one row as wide as it.
    header_line = (REGISTRY_FILES / "admin-import-columns.csv").read_bytes().splitlines()[0]
    written = (out / "DFE-TL-004-registry-entry.csv").read_bytes()
    assert written.split(b"\r\n")[0] == header_line
    header, rows = read_csv(out / "DFE-TL-004-registry-entry.csv")
    assert len(header) == 106 and header[-1] == ""
    [row] = rows
    assert len(row) == len(header)
    values = dict(zip(header, row, strict=True))
    assert values["Evaluation title"] == "Speech and language screening app in Reception classes"
    assert values["Short title for evaluation"] == "DFE-TL-004"
    assert values["Client"] == "Department for Education (DfE)"
    assert values["gov_uk_link"] == LINK
    assert (values["Process"], values["Impact"], values["Economic"]) == ("Yes", "Yes", "Yes")
    # Months by name: the registry's importer reads them so.
    assert (
        values["Intervention start date (Month)"],
        values["Intervention start date (Year)"],
    ) == (
        "April",
        "2025",
    )
    assert (values["Publication date (Month)"], values["Publication date (Year)"]) == (
        "November",
        "2026",
    )
    assert (
        values["Impact - Design"]
        == "Impact evaluation > Randomised control trial (RCT) > Cluster RCT"
    )
    # The finding in the reports' words, which say what the verdict supports and no more.
    assert values["Impact - Summary of findings"] == (
        "H1: It made no worthwhile difference to pupils reaching a good level of development."
    )
    assert "41% of practitioners" in values["Impact - Limitations of approach"]
    assert values["Intervention costs (£)"] == "1140000"  # delivery and staff, not evaluation

    # The page, in the order of the registry's form, each answer with the field it came from.
    parts = ["Status", "Title and departments", "Evaluation types and design", "Description",
             "Policies", "Dates", "Links", "Costs"]  # fmt: skip
    text = pdf_text(out / "DFE-TL-004-registry-entry.pdf")
    positions = [text.index(f"{n}. {title}") for n, title in enumerate(parts, start=1)]
    assert positions == sorted(positions)
    assert "A complete evaluation report" in text
    assert "Education, training and skills (education)" in text
    html = (out / "DFE-TL-004-registry-entry.html").read_text("utf-8")
    found = [html.index(f"<h2>{n}. {title}</h2>") for n, title in enumerate(parts, start=1)]
    assert found == sorted(found)
    assert 'lang="en-GB"' in html and "Published report link" in html


def test_the_same_data_and_timestamp_give_the_same_files(demo_cli: Cli, tmp_path: Path) -> None:
    ok(demo_cli("set", "HO-TL-003", "report_link", LINK))
    for name in ("a", "b"):
        ok(demo_cli("registry-pack", "HO-TL-003", "--out", str(tmp_path / name),
                    "--timestamp", "2026-12-03T09:00Z"))  # fmt: skip
    assert files_snapshot(tmp_path / "a") == files_snapshot(tmp_path / "b")


def test_a_planned_evaluation_has_no_findings_and_says_what_it_left_out(
    own: Any, cli: Cli, tmp_path: Path
) -> None:
    ok(cli("registry-pack", "T-001", "--out", str(tmp_path / "pack")))
    header, [row] = read_csv(tmp_path / "pack" / "T-001-registry-entry.csv")
    values = dict(zip(header, row, strict=True))
    assert values["Impact - Summary of findings"] == ""
    assert values["gov_uk_link"] == ""
    # A before-and-after design is the registry's "Other" impact design, never without words.
    assert values["Impact - Design"].startswith("Impact evaluation > Other: Before-and-after")
    text = pdf_text(tmp_path / "pack" / "T-001-registry-entry.pdf")
    assert "A planned evaluation" in text
    assert "HM Treasury (HMT) (hm-treasury)" in text  # a partner the registry lists
    notes = " ".join(text.split("Before you enter it")[1].split())
    assert "Not entered as departments" in notes and "Two county councils" in notes
    assert "No policy areas are chosen" in text


# -- the registry's rules -------------------------------------------------------------------


def refused(cli: Cli, tmp_path: Path, reference: str = "T-001") -> str:
    out = tmp_path / "refused"
    run = cli("registry-pack", reference, "--out", str(out))
    assert run.code != 0
    assert not out.exists(), "nothing is written when the entry is refused"
    assert "unexpected" not in run.err.lower()
    return run.err


def test_a_complete_evaluation_needs_a_link_or_a_reason(demo_cli: Cli, tmp_path: Path) -> None:
    err = refused(demo_cli, tmp_path, "DHSC-TL-001")
    assert "DHSC-TL-001 cannot go to the Evaluation Registry as it stands" in err
    assert "Published report link: a complete evaluation (status Decided) needs the link" in err
    ok(demo_cli("set", "DHSC-TL-001", "unpublished_reasons", "Sign-off delays"))
    ok(demo_cli("registry-pack", "DHSC-TL-001", "--out", str(tmp_path / "pack")))
    text = pdf_text(tmp_path / "pack" / "DHSC-TL-001-registry-entry.pdf")
    assert "Sign-off delays" in text and "not published" in text
    # A complete evaluation tested its hypothesis; "AI-assisted" keeps its capitals.
    assert "The pilot tested whether: AI-assisted triage increases" in " ".join(text.split())


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"status": "decided", "unpublished_reasons": "quality"},
            "Unpublished: details: say what the 'Quality issues' reason is",
        ),
        (
            {"status": "decided", "unpublished_reasons": "other; resource"},
            "Unpublished: details: say what the 'Other' reason is",
        ),
        (
            {"report_link": LINK, "unpublished_reasons": "signoff"},
            "Why the report is unpublished: the report is published (it has a link)",
        ),
        ({"evaluation_types": "impact; other"}, "Other evaluation type: say what the 'Other'"),
        ({"evaluation_types": ""}, "Evaluation types: none chosen"),
        (
            {"lead_organisation": "Departmnt for Educaton"},
            "Lead organisation: 'Departmnt for Educaton' is not a department in the Evaluation "
            "Registry's list; did you mean 'Department for Education (DfE)'",
        ),
        ({"lead_organisation": ""}, "Lead organisation: not recorded"),
        ({"end_date": "01/01/2026"}, "End date: is before the start date"),
        (
            {"report_published_on": "01/10/2026"},
            "Published report link: a publication date is recorded but no link",
        ),
    ],
)
def test_each_rule_the_registry_would_refuse_names_the_field(
    own: Any, cli: Cli, tmp_path: Path, changes: dict[str, str], expected: str
) -> None:
    for field, value in changes.items():
        ok(cli("set", "T-001", field, value))
    err = refused(cli, tmp_path)
    assert expected in err, err


def test_every_broken_rule_is_listed_at_once(own: Any, cli: Cli, tmp_path: Path) -> None:
    for field, value in {
        "status": "closed",
        "lead_organisation": "Ministry of Magic",
        "evaluation_types": "other",
    }.items():
        ok(cli("set", "T-001", field, value))
    err = refused(cli, tmp_path)
    lines = [line.strip() for line in err.strip().splitlines()[1:]]
    assert [line.split(":")[0] for line in lines] == [
        "Lead organisation",
        "Other evaluation type",
        "Published report link",
    ]


def test_years_are_the_registry_s_1900_to_2100(own: Any) -> None:
    # The date fields already refuse a year that looks mistyped; the registry's own range is
    # checked again on the record, whatever reached it.
    found = pilots.get_pilot("T-001", db=own).pilot
    early = found.model_copy(update={"start_date": dt.date(1850, 1, 1)})
    late = found.model_copy(
        update={"report_published_on": dt.date(2101, 1, 1), "report_link": LINK}
    )
    assert [str(p) for p in registry_problems(early)] == [
        "Start date: year 1850 is outside the registry's 1900-2100"
    ]
    assert [str(p) for p in registry_problems(late)] == [
        "Report published on: year 2101 is outside the registry's 1900-2100"
    ]


def test_months_are_the_registry_s_1_to_12() -> None:
    assert [month_name(m) for m in (1, 12)] == ["January", "December"]
    for month in (0, 13):
        with pytest.raises(ValueError, match=f"month {month} is not a month from 1 to 12"):
            month_name(month)


def test_a_month_13_written_into_the_file_is_refused_not_exported(
    demo_cli: Cli, tmp_path: Path
) -> None:
    ok(demo_cli("set", "HO-TL-003", "report_link", LINK))
    conn = sqlite3.connect(demo_cli.db)
    with conn:
        conn.execute("UPDATE pilot SET start_date = '2025-13-01' WHERE reference = 'HO-TL-003'")
    conn.close()
    run = demo_cli("registry-pack", "HO-TL-003", "--out", str(tmp_path / "pack"))
    assert run.code != 0 and not (tmp_path / "pack").exists()
    assert "holds a value that cannot be read" in run.err and "testlearn verify" in run.err


def test_a_pilot_that_fails_verification_gets_no_entry(demo_cli: Cli, tmp_path: Path) -> None:
    ok(demo_cli("set", "HO-TL-003", "report_link", LINK))
    conn = sqlite3.connect(demo_cli.db)
    with conn:  # a result's verdict rewritten behind the tool's back
        conn.execute(
            "UPDATE analysis_result SET verdict = 'harm' WHERE hypothesis_id IN (SELECT h.id "
            "FROM hypothesis h JOIN pilot p ON p.id = h.pilot_id WHERE p.reference = 'HO-TL-003')"
        )
    conn.close()
    err = refused(demo_cli, tmp_path, "HO-TL-003")
    assert "fails verification" in err and "testlearn verify" in err


# -- the fields the registry asks for -------------------------------------------------------


def test_policy_areas_are_stored_as_the_registry_s_codes(own: Any, cli: Cli) -> None:
    ok(cli("set", "T-001", "policy_areas", "Transport: Driving and road transport; EDUCATION"))
    found = pilots.get_pilot("T-001", db=own).pilot
    assert found.policy_areas == ["transport/driving-and-road-transport", "education"]
    run = cli("set", "T-001", "policy_areas", "educaton")
    assert run.code != 0
    assert "'educaton' is not one of the Evaluation Registry's policy areas" in run.err
    assert "did you mean" in run.err and "(education)" in run.err


@pytest.mark.parametrize("link", ["www.gov.uk/report", "ftp://example.org/x", "https://", "gov"])
def test_a_link_must_be_a_web_address(own: Any, cli: Cli, link: str) -> None:
    run = cli("set", "T-001", "report_link", link)
    assert run.code != 0
    assert "Published report link: should be a web address starting https://" in run.err


def test_an_unwritable_folder_is_named_and_nothing_is_written(
    own: Any, cli: Cli, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    run = cli("registry-pack", "T-001", "--out", str(blocker))
    assert run.code != 0
    assert f"cannot write the pack into {blocker}: it is a file" in run.err
    assert blocker.read_text() == "not a folder"


def test_commercial_figures_in_free_text_stay_out_of_the_entry(
    own: Any, cli: Cli, tmp_path: Path
) -> None:
    ok(cli("add", "T-001", "procurement", "name=Cleaning contract", "should_cost=6100000"))
    statement = "Wards are not clean enough. The bids came in 11% above the 6.1m should-cost."
    ok(cli("set", "T-001", "problem_statement", statement))
    ok(cli("registry-pack", "T-001", "--out", str(tmp_path / "pack")))
    for name in ("T-001-registry-entry.csv", "T-001-registry-entry.html"):
        text = (tmp_path / "pack" / name).read_text("utf-8-sig")
        assert "Wards are not clean enough." in text
        assert "6.1m" not in text and "should-cost" not in text


def test_an_invalid_value_is_a_testlearn_error() -> None:
    # The window shows refusals of this kind as messages, not as crashes.
    from testlearn.errors import RegistryEntryRefused

    assert issubclass(RegistryEntryRefused, InvalidValue)


# -- the registry's vocabularies ------------------------------------------------------------


def test_every_design_and_type_has_a_registry_design_type() -> None:
    mapping = tomllib.loads((REGISTRY_FILES / "designs.toml").read_text("utf-8"))
    types = registry_terms.design_types()
    assert set(mapping["evaluation_types"]) == {t.value for t in EvaluationType}
    assert set(mapping["evaluation_designs"]) == {d.value for d in EvaluationDesign}
    for code in mapping["evaluation_types"].values():
        assert types[code].parent == ""
    for entry in mapping["evaluation_designs"].values():
        chosen = types[entry["type"]]
        assert chosen.path[0].code == "impact"
        # The registry asks for words for each "Other": the mapping gives them.
        assert chosen.needs_text == ("text" in entry)


def test_the_vocabularies_are_the_registry_s_files_unchanged() -> None:
    folder = SHARED / "evaluation_registry"
    if not folder.is_dir():
        pytest.skip("the product owner's standards folder is not beside this checkout")
    for name in ("departments.csv", "design_types.csv", "taxonomies.csv",
                 "admin-import-columns.csv", "SOURCE"):  # fmt: skip
        assert (REGISTRY_FILES / name).read_bytes() == (folder / name).read_bytes(), name


def test_departments_are_found_as_people_write_them() -> None:
    find = registry_terms.find_department
    mhclg = find("Ministry of Housing, Communities and Local Government")
    assert (
        mhclg is not None and mhclg.code == "ministry-of-housing-communities-and-local-government"
    )
    for written in ("Department for Education", "DfE", "department-for-education",
                    "Department for Education (DfE)", "  department for EDUCATION "):  # fmt: skip
        found = find(written)
        assert found is not None and found.code == "department-for-education", written
    assert find("Two regional energy hubs") is None
    assert len(registry_terms.departments()) == 187
    assert len(registry_terms.PolicyArea) == 239


def test_an_older_file_gains_the_registry_fields_empty_and_still_verifies(tmp_path: Path) -> None:
    from testlearn.services import verification

    path = tmp_path / "team.sqlite"
    shutil.copy(Path(__file__).parent.parent / "golden" / "schema1.sqlite", path)
    with databases.open_database(path) as db:
        assert verification.verify(db=db).ok
        found = pilots.get_pilot("DFE-TL-004", db=db).pilot
        assert (found.policy_areas, found.report_link, found.unpublished_reasons) == ([], "", [])
        assert found.report_published_on is None
