"""`testlearn analyse`: a CSV on its own, one pilot, or every pilot."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from testlearn.cli.output import print_json
from testlearn.cli.values import number
from testlearn.errors import InvalidValue

# The result types and the plan-change words are imported where a result is printed: the
# domain's record types build on the ORM's base classes, whose import alone costs more than
# any other command's whole run, and every command builds this module's parser.
if TYPE_CHECKING:
    from testlearn.domain.analysis import AnalysisResult
    from testlearn.domain.plan_changes import PostHocResult
    from testlearn.services.analysis import PilotOutcome

FILE_SUFFIXES = (".csv", ".xlsx", ".txt", ".tsv")


def add_commands(commands: Any) -> None:
    run = commands.add_parser(
        "analyse",
        help="analyse a CSV on its own, a pilot's hypotheses, or every pilot (--all)",
        description="TARGET is a CSV/.xlsx file (analysed on its own, nothing stored) or a "
        "pilot reference (its registered hypotheses are analysed and the results stored).",
    )
    run.add_argument("target", nargs="?", help="a file, or a pilot reference")
    run.add_argument("--all", action="store_true", help="analyse every registered pilot")
    run.add_argument("--outcome", choices=["continuous", "binary", "count"])
    run.add_argument(
        "--design",
        choices=["two-group", "did", "before-after", "its", "benchmark", "paired", "stepped-wedge"],
    )
    run.add_argument("--direction", choices=["increase", "decrease"], default="increase")
    run.add_argument(
        "--benefit-threshold", type=number("--benefit-threshold", above=0), metavar="X"
    )
    run.add_argument("--harm-margin", type=number("--harm-margin", at_least=0), metavar="Y")
    run.add_argument(
        "--alpha", type=number("--alpha", above=0, below=0.5), default=0.05, metavar="A"
    )
    run.add_argument("--icc", type=number("--icc", at_least=0, below=1), metavar="R")
    run.add_argument("--benchmark", type=number("--benchmark"), metavar="V")
    run.add_argument(
        "--baseline",
        metavar="NAME",
        help="adjust for this baseline measure (a file's column baseline, or one named NAME)",
    )
    run.add_argument("--json", action="store_true")
    run.set_defaults(run=run_analyse)


def is_file_target(target: str) -> bool:
    return Path(target).suffix.lower() in FILE_SUFFIXES or Path(target).is_file()


def run_analyse(args: argparse.Namespace) -> int:
    if args.all:
        return _analyse_all(args)
    if not args.target:
        raise InvalidValue("say what to analyse: a CSV file, a pilot reference, or --all")
    if is_file_target(args.target):
        return _analyse_file(args)
    return _analyse_pilot(args)


def _analyse_file(args: argparse.Namespace) -> int:
    missing = [f"--{name}" for name in ("outcome", "design") if getattr(args, name) is None]
    if missing:
        raise InvalidValue(f"analysing a file needs {' and '.join(missing)}")
    from testlearn.services.file_analysis import analyse_file

    result = analyse_file(
        Path(args.target),
        outcome=args.outcome,
        design=args.design,
        direction=args.direction,
        benefit_threshold=args.benefit_threshold,
        harm_margin=args.harm_margin,
        alpha=args.alpha,
        icc=args.icc,
        benchmark=args.benchmark,
        baseline=args.baseline,
    )
    if args.json:
        print_json(result.to_json_dict())
    else:
        print(describe(result))
    return 0


def _analyse_pilot(args: argparse.Namespace) -> int:
    from testlearn.cli import actor
    from testlearn.cli.pilot_commands import open_db
    from testlearn.services import analysis

    with open_db(args) as db:
        outcome = analysis.analyse_pilot(args.target, db=db, actor=actor())
    if args.json:
        print_json(pilot_json(outcome))
    else:
        print(describe_pilot(outcome))
    return 0


def _analyse_all(args: argparse.Namespace) -> int:
    from testlearn.cli import actor
    from testlearn.cli.pilot_commands import open_db
    from testlearn.services import analysis

    with open_db(args) as db:
        outcomes = analysis.analyse_all(db=db, actor=actor())
    if args.json:
        print_json([pilot_json(o) for o in outcomes])
    else:
        print("\n\n".join(describe_pilot(o) for o in outcomes) or "no registered pilots")
    return 0


def pilot_json(outcome: PilotOutcome) -> dict[str, Any]:
    return {
        "reference": outcome.reference,
        "hypotheses": [
            {"code": h.code, "skipped": h.skipped}
            if h.result is None
            else {
                "code": h.code,
                **h.result.to_json_dict(),
                "post_hoc": (h.stored.detail.get("post_hoc") if h.stored else None),
            }
            for h in outcome.hypotheses
        ],
    }


def describe_pilot(outcome: PilotOutcome) -> str:
    from testlearn.domain.plan_changes import PostHocResult

    lines = [outcome.reference]
    for h in outcome.hypotheses:
        if h.result is None:
            lines.append(f"  {h.code}: not analysed ({h.skipped})")
        else:
            lines.append(f"  {h.code}: " + describe(h.result).replace("\n", "\n  "))
            later = PostHocResult.from_json(h.stored.detail.get("post_hoc") if h.stored else None)
            if later is not None:
                lines.append("    " + post_hoc_line(later))
    return "\n".join(lines)


def post_hoc_line(later: PostHocResult) -> str:
    """The result under a plan changed after the data: shown, labelled, never the verdict."""
    from testlearn.domain.plan_changes import FIELD_WORDS

    changes = "; ".join(
        f"{FIELD_WORDS.get(c['field'], c['field'])} {c['old']} -> {c['new']} on "
        f"{str(c['recorded_at'])[:10]} ({c['reason']})"
        for c in later.changes
    )
    verdict = later.verdict.replace("_", " ") + (
        f" ({later.grade.replace('_', ' ')})" if later.grade else ""
    )
    return (
        f"POST HOC, not the registered test: the plan was changed after the outcome data were "
        f"added ({changes}); under the changed plan the verdict would be {verdict.upper()}. "
        "The verdict above is against the plan as registered."
    )


def describe(result: AnalysisResult) -> str:
    verdict = result.verdict.value.replace("_", " ")
    if result.grade is not None:
        verdict += f" ({result.grade.value.replace('_', ' ')})"
    lines = [f"{verdict.upper()}: {result.sentence}"]
    if result.estimate is not None:
        lines.append(
            f"  {result.estimand}: {result.estimate:.4g}, {result.ci_level:.0%} CI "
            f"{_num(result.ci_low)} to {_num(result.ci_high)}, p = {_num(result.p_value)}"
            + (f" (Holm {_num(result.p_adjusted)})" if result.p_adjusted is not None else "")
        )
        lines.append(f"  method: {result.method}; achieved MDE {_num(result.mde_achieved)}")
    elif result.not_evaluable_reason:
        lines.append(f"  why: {result.not_evaluable_reason}")
    lines.extend(f"  warning: {w}" for w in result.warnings)
    return "\n".join(lines)


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"
