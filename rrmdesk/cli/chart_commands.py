"""Chart commands: ``chart timeline``, ``chart graph`` (PNG/SVG/PDF) and ``graph metrics``/``graph unpin``."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

from .. import charts
from ..briefing.language import LANGUAGES
from ..charts import choices
from ..charts.wording import chart_wording
from ..errors import UsageError
from .context import Context


def register(commands: argparse._SubParsersAction) -> None:
    chart = commands.add_parser("chart", help="draw a case's timeline or actor-link graph to PNG, SVG or PDF")
    sub = chart.add_subparsers(dest="chart_command", required=True, metavar="COMMAND")

    line = sub.add_parser("timeline", help="events on a date axis, in swimlanes")
    _common(line)
    line.add_argument("--lanes", default="actor", help="swimlanes by: " + ", ".join(choices.LANES))
    line.add_argument("--from", dest="start", metavar="ISO8601", help="first date shown")
    line.add_argument("--to", dest="end", metavar="ISO8601", help="last date shown")
    line.add_argument("--colour-by", default="category", help="colour events by: " + ", ".join(choices.TIMELINE_COLOUR_BY))
    line.set_defaults(handler=cmd_timeline)

    net = sub.add_parser("graph", help="actors and their links, sized by centrality")
    _common(net)
    _graph_selection(net)
    net.add_argument("--size-by", default="degree", help="node size by: " + ", ".join(choices.SIZE_BY))
    net.add_argument("--colour-by", default="kind", help="node colour by: " + ", ".join(choices.GRAPH_COLOUR_BY))
    net.add_argument("--seed", type=int, default=7, help="layout seed (the same seed gives the same picture)")
    net.add_argument("--no-pins", action="store_true", help="ignore the node positions pinned in the desktop app")
    net.set_defaults(handler=cmd_graph)

    group = commands.add_parser("graph", help="network measures of a case's actor-link graph")
    gsub = group.add_subparsers(dest="graph_command", required=True, metavar="COMMAND")
    metrics = gsub.add_parser("metrics", help="degree, betweenness, eigenvector centrality and community per node")
    metrics.add_argument("case_id", metavar="CASE")
    _graph_selection(metrics)
    metrics.add_argument("--json", action="store_true")
    metrics.add_argument("--csv", type=Path, metavar="FILE", help="also write the table as CSV")
    metrics.set_defaults(handler=cmd_metrics)

    unpin = gsub.add_parser("unpin", help="release pinned node positions (all, or one node)")
    unpin.add_argument("case_id", metavar="CASE")
    unpin.add_argument("node", nargs="?", metavar="NODE_ID")
    unpin.set_defaults(handler=cmd_unpin)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("case_id", metavar="CASE")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE", help="a .png, .svg or .pdf file")
    parser.add_argument("--format", help="png, svg or pdf (default: from the file name)")
    parser.add_argument("--title", help="the title printed on the chart")
    parser.add_argument("--lang", choices=LANGUAGES, default="en",
                        help="language of the chart's own words and dates, as for briefings (default: en)")
    parser.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def _graph_selection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--nodes", default="actors", help="which objects are nodes: " + ", ".join(choices.NODE_SETS))
    parser.add_argument("--ego", metavar="NODE", help="only this node's neighbourhood (id or exact name)")
    parser.add_argument("--depth", type=int, default=1, help="steps from the ego node (default 1)")
    parser.add_argument("--type", action="append", dest="types", default=[], metavar="RELATIONSHIP",
                        help="only links of this type (repeat for several)")
    parser.add_argument("--min-confidence", help="only links at or above: low, moderate, high")


def _graph_options(args: argparse.Namespace, **extra) -> graph.GraphOptions:
    from ..charts import graph  # matplotlib loads on first use
    if args.depth != 1 and not args.ego:
        raise UsageError("--depth needs --ego", "name the node to centre on with --ego NODE")
    return graph.GraphOptions(nodes=args.nodes, ego=args.ego, depth=args.depth,
                              relationship_types=frozenset(args.types), min_confidence=args.min_confidence, **extra)


def _write(ctx: Context, args: argparse.Namespace, figure, title: str, tlp: str, kind: str) -> int:
    from ..charts import export  # matplotlib loads on first use
    fmt = export.format_for(args.output, args.format)
    path = export.export_figure(figure, args.output, fmt, title=title, tlp=tlp, overwrite=args.force)
    ctx.store().record_event("export-chart", args.case_id, {"chart": kind, "format": fmt, "file": path.name})
    print(path)
    return 0


def cmd_timeline(ctx: Context, args: argparse.Namespace) -> int:
    from ..charts import export, timeline  # matplotlib loads on first use
    export.format_for(args.output, args.format)  # a bad file name fails before any work
    options = timeline.TimelineOptions(lanes=args.lanes, start=args.start, end=args.end, colour_by=args.colour_by,
                                       title=args.title, language=args.lang).validated()
    snapshot = charts.load_snapshot(ctx.store(), args.case_id, ctx.progress())
    chart = charts.render_timeline(snapshot, options, ctx.progress())
    title = args.title or chart_wording(args.lang).text("timeline_title", case=snapshot.case.title)
    return _write(ctx, args, chart.figure, title, snapshot.case.tlp, "timeline")


def cmd_graph(ctx: Context, args: argparse.Namespace) -> int:
    from ..charts import export  # matplotlib loads on first use
    export.format_for(args.output, args.format)
    store = ctx.store()
    pins = {} if args.no_pins else charts.load_pins(store, args.case_id)
    options = _graph_options(args, size_by=args.size_by, colour_by=args.colour_by, seed=args.seed, pinned=pins,
                             title=args.title, language=args.lang).validated()
    snapshot = charts.load_snapshot(store, args.case_id, ctx.progress())
    chart = charts.render_graph(snapshot, options, ctx.progress())
    title = args.title or chart_wording(args.lang).text("graph_title", case=snapshot.case.title)
    return _write(ctx, args, chart.figure, title, snapshot.case.tlp, "graph")


def cmd_metrics(ctx: Context, args: argparse.Namespace) -> int:
    from ..charts import graph  # matplotlib loads on first use
    options = _graph_options(args).validated()
    snapshot = charts.load_snapshot(ctx.store(), args.case_id)
    network = graph.filter_edges(graph.build_graph(snapshot, options.nodes), options.relationship_types,
                                 options.min_confidence)
    if options.ego:
        network = graph.ego_graph(network, options.ego, options.depth)
    rows = charts.compute_metrics(network, progress=ctx.progress())
    if args.csv:
        text = charts.metrics_csv(rows)
        try:
            with args.csv.open("x", encoding="utf-8", newline="") as out:
                out.write(text)
        except FileExistsError:
            raise UsageError(f"{args.csv} already exists", "choose another file name") from None
        except OSError as exc:
            raise UsageError(f"cannot write {args.csv}: {exc.strerror or exc}", "check the folder") from exc
    if args.json:
        ctx.print_json([dataclasses.asdict(row) for row in rows])
        return 0
    ctx.print_table([[r.id, r.kind, str(r.degree), f"{r.betweenness:.3f}", f"{r.eigenvector:.3f}", str(r.community),
                      r.label] for r in rows],
                    ["id", "kind", "degree", "betweenness", "eigenvector", "community", "name"])
    return 0


def cmd_unpin(ctx: Context, args: argparse.Namespace) -> int:
    left = charts.unpin(ctx.store(), args.case_id, args.node)
    print(json.dumps({"pinned": len(left)}))
    return 0
