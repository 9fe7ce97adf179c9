"""Print the mutation score per module from the results ``mutmut run`` left in ``mutants/``.

Usage: ``python tools/mutation_report.py [--fail-under PCT] [--survivors] MODULE...``
(MODULE as ``_retry`` or ``hetzner_async/_retry.py``; ``make mutation`` passes its MODULES).

The score is killed + timed out over the mutants run. A mutant no test reaches ("no tests")
counts as run and not killed: an uncovered function is a gap, not an excuse. Mutants never
checked (an interrupted run) are reported apart and leave the score open.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from mutmut.stats import status_by_exit_code

PACKAGE = "hetzner_async"
KILLED = {"killed", "timeout", "caught by type check"}
NOT_RUN = {"not checked", "skipped", "check was interrupted by user"}


def meta_path(module: str, root: Path) -> Path:
    """Return where mutmut keeps the results of one module (``mutants/<path>.py.meta``)."""
    name = module.removesuffix(".py").replace("/", ".").removeprefix(f"{PACKAGE}.")
    return root / PACKAGE / f"{name.replace('.', '/')}.py.meta"


def statuses(path: Path) -> dict[str, str]:
    """Return each mutant's status by name, as mutmut names it (``survived``, ``killed``...)."""
    exit_codes: dict[str, int | None] = json.loads(path.read_text())["exit_code_by_key"]
    return {name: status_by_exit_code[code] for name, code in exit_codes.items()}


def score(counts: Counter[str]) -> float | None:
    """Return killed + timed out over the mutants run, in percent (None when none ran)."""
    run = sum(n for status, n in counts.items() if status not in NOT_RUN)
    killed = sum(counts[status] for status in KILLED)
    return 100.0 * killed / run if run else None


def main(argv: list[str] | None = None) -> int:
    """Print the table; exit 1 when a module scores under ``--fail-under``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="+", help="module names, e.g. _retry _validate")
    parser.add_argument("--fail-under", type=float, default=0.0, metavar="PCT")
    parser.add_argument("--survivors", action="store_true", help="list the surviving mutants")
    parser.add_argument("--root", type=Path, default=Path("mutants"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    header = f"{'module':<20} {'mutants':>7} {'killed':>6} {'timeout':>7} {'survived':>8} "
    header += f"{'no tests':>8} {'other':>5} {'score':>7}"
    print(header)
    print("-" * len(header))
    below: list[str] = []
    survivors: list[str] = []
    total: Counter[str] = Counter()
    for module in args.modules:
        path = meta_path(module, args.root)
        if not path.exists():
            print(f"{module:<20} no results (not in [tool.mutmut] only_mutate, or not run yet)")
            below.append(module)
            continue
        by_name = statuses(path)
        counts = Counter(by_name.values())
        total += counts
        survivors += sorted(n for n, s in by_name.items() if s not in KILLED | NOT_RUN)
        pct = score(counts)
        known = {"killed", "timeout", "survived", "no tests"}
        other = sum(n for status, n in counts.items() if status not in known)
        shown = "-" if pct is None else f"{pct:6.1f}%"
        print(
            f"{module:<20} {sum(counts.values()):>7} {counts['killed']:>6} {counts['timeout']:>7} "
            f"{counts['survived']:>8} {counts['no tests']:>8} {other:>5} {shown:>7}"
        )
        if pct is None or pct < args.fail_under or any(counts[s] for s in NOT_RUN):
            below.append(module)
    pct = score(total)
    if pct is not None and len(args.modules) > 1:
        print("-" * len(header))
        print(f"{'all':<20} {sum(total.values()):>7} {'':>43} {pct:6.1f}%")
    if args.survivors and survivors:
        print("\nNot killed (mutmut show NAME shows the diff):")
        for name in survivors:
            print(f"  {name}")
    if args.fail_under and below:
        print(f"\nUnder {args.fail_under:g} % or not fully run: {' '.join(below)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
