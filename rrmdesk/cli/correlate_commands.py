"""Correlation commands: related cases, clusters, verdicts and the exclusion list.

    rrmdesk correlate CASE [--json]                  other cases sharing values, actors, techniques
    rrmdesk correlate --all [--json]                 the workspace as clusters of related cases
    rrmdesk correlate confirm|dismiss CASE OTHER     the analyst's verdict on a pair (audited)
    rrmdesk correlate withdraw CASE OTHER            forget a verdict
    rrmdesk correlate exclude VALUE [--remove]       edit the noise list; --list shows it
"""

from __future__ import annotations

import argparse

from ..correlation import clusters, correlate, decide, exclude, include, list_exclusions, withdraw
from ..correlation.clusters import THRESHOLD
from ..correlation.noise import MAX_CASES, NoiseList
from ..errors import UsageError
from .context import Context

_VERBS = ("confirm", "dismiss", "withdraw", "exclude")


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "correlate", help="cases that share observables, actors or techniques; clusters; verdicts; noise list",
        description="rrmdesk correlate CASE | --all | confirm CASE OTHER | dismiss CASE OTHER | "
                    "withdraw CASE OTHER | exclude VALUE [--remove] | exclude --list",
    )
    parser.add_argument("words", nargs="*", metavar="CASE | VERB ...",
                        help="a case id, or confirm/dismiss/withdraw CASE OTHER, or exclude VALUE")
    parser.add_argument("--all", action="store_true", help="the whole workspace as clusters of related cases")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--threshold", type=float, default=THRESHOLD,
                        help=f"least score that links two cases in a cluster (default {THRESHOLD})")
    parser.add_argument("--max-cases", type=int, default=MAX_CASES,
                        help=f"a value held by more cases is flagged as noise (default {MAX_CASES})")
    parser.add_argument("--dismissed", action="store_true", help="also list pairs dismissed earlier")
    parser.add_argument("--note", default="", help="why (confirm, dismiss, exclude)")
    parser.add_argument("--list", action="store_true", help="with exclude: show the exclusion list")
    parser.add_argument("--remove", action="store_true", help="with exclude: take VALUE off the list")
    parser.set_defaults(handler=cmd_correlate)


def cmd_correlate(ctx: Context, args: argparse.Namespace) -> int:
    words = list(args.words)
    if args.all:
        if words:
            raise UsageError("--all takes no case id", "run 'rrmdesk correlate --all' or 'rrmdesk correlate CASE'")
        return _clusters(ctx, args)
    if not words:
        raise UsageError("say which case to correlate", "run 'rrmdesk correlate CASE' or 'rrmdesk correlate --all'")
    verb = words[0]
    if verb in ("confirm", "dismiss", "withdraw"):
        if len(words) != 3:
            raise UsageError(f"{verb} needs two case ids", f"run 'rrmdesk correlate {verb} CASE OTHER_CASE'")
        return _verdict(ctx, args, verb, words[1], words[2])
    if verb == "exclude":
        return _exclude(ctx, args, words[1:])
    if len(words) > 1:
        raise UsageError(f"unexpected words after the case id: {' '.join(words[1:])}",
                         f"verbs are {', '.join(_VERBS)}; a case is given alone")
    if not verb.startswith("case--"):
        raise UsageError(f"{verb!r} is neither a case id nor a correlate verb",
                         f"give a case id (case--<uuid>) or one of {', '.join(_VERBS)}")
    return _case(ctx, args, verb)


def _noise(ctx: Context, args: argparse.Namespace) -> NoiseList:
    if args.max_cases < 2:
        raise UsageError("--max-cases must be 2 or more", "a value in one case correlates with nothing anyway")
    return NoiseList.load(ctx.store(), args.max_cases)


def _case(ctx: Context, args: argparse.Namespace, case_id: str) -> int:
    store = ctx.store()
    found = correlate(store, case_id, _noise(ctx, args), include_dismissed=args.dismissed)
    if args.json:
        ctx.print_json({"case_id": case_id, "related": [c.to_dict() for c in found]})
        return 0
    print(f"{store.get_case(case_id).title}\n{case_id}")
    if not found:
        print("\nNo other case shares its observables, actors or technique pattern.")
        return 0
    for c in found:
        verdict = f"  [{c.verdict}]" if c.verdict else ""
        print(f"\n{c.score:6.2f}  {c.case_id}  TLP:{c.tlp.upper()}  {c.title}{verdict}")
        for s in c.shared:
            print(f"        {s.kind:<8} {s.value}  (in {s.cases} cases)")
        for a in c.actors:
            print(f"        actor    {a.here_name} = {a.there_name}" + (" (account)" if a.how == "account" else ""))
        for a in c.fuzzy_actors:
            print(f"        similar  {a.here_name} ~ {a.there_name}  ({a.how}, {a.match:.2f})")
        if c.techniques:
            print(f"        pattern  {', '.join(c.techniques.shared)}  (Jaccard {c.techniques.jaccard:.2f})")
        if c.noise:
            print(f"        noise    {', '.join(s.value for s in c.noise[:5])}"
                  + (f" and {len(c.noise) - 5} more" if len(c.noise) > 5 else "") + " (not scored)")
    return 0


def _clusters(ctx: Context, args: argparse.Namespace) -> int:
    found, seen = clusters(ctx.store(), args.threshold, _noise(ctx, args), ctx.progress())
    if args.json:
        ctx.print_json({
            "threshold": args.threshold,
            "clusters": [c.to_dict() for c in found],
            "noise": [{"kind": k, "value": v, "cases": n, "why": why}
                      for (k, v), (n, why) in sorted(seen.values.items(), key=lambda i: (-i[1][0], i[0]))],
        })
        return 0
    if not found:
        print("No cases are related strongly enough to form a cluster.")
    for number, cluster in enumerate(found, 1):
        print(f"Cluster {number}: {len(cluster.cases)} cases, score {cluster.score:.2f}")
        for case_id, title in cluster.cases:
            print(f"  {case_id}  {title}")
        shared = ", ".join(f"{v} ({n})" for _, v, n in cluster.shared[:6])
        print(f"  shared: {shared}\n")
    if seen.values:
        top = sorted(seen.values.items(), key=lambda i: -i[1][0])[:8]
        print("Not scored (noise): " + ", ".join(f"{v} ({n} cases)" for (_, v), (n, _) in top)
              + (f" and {len(seen.values) - 8} more" if len(seen.values) > 8 else ""))
    return 0


def _verdict(ctx: Context, args: argparse.Namespace, verb: str, case_id: str, other_id: str) -> int:
    store = ctx.store()
    if verb == "withdraw":
        withdraw(store, case_id, other_id)
        print(f"verdict withdrawn: {case_id} {other_id}")
        return 0
    made = decide(store, case_id, other_id, "confirmed" if verb == "confirm" else "dismissed", args.note)
    print(f"{made.decision}: {made.case_a} {made.case_b}")
    return 0


def _exclude(ctx: Context, args: argparse.Namespace, values: list[str]) -> int:
    store = ctx.store()
    if args.list:
        if values:
            raise UsageError("--list takes no value", "run 'rrmdesk correlate exclude --list'")
        entries = list_exclusions(store)
        if args.json:
            ctx.print_json([{"value": e.value, "source": e.source, "note": e.note, "changed_by": e.changed_by,
                             "changed_at": e.changed_at} for e in entries])
            return 0
        ctx.print_table([[e.value, e.source, e.note] for e in entries], ["value", "source", "note"])
        return 0
    if len(values) != 1:
        raise UsageError("exclude takes one value", "run 'rrmdesk correlate exclude VALUE' (quote values with spaces)")
    stored = (include if args.remove else exclude)(store, values[0], args.note)
    print(f"{'counts again' if args.remove else 'excluded'}: {stored}")
    return 0
