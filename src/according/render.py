"""The readable text form of a report: events with their backing, then attributions, then signals."""
from __future__ import annotations

from typing import Optional

from .records import Actor, Attribution, Event, Report
from .terminal import plain, plain_lines


def _party(actor: Optional[Actor]) -> str:
    if actor is None:
        return "?"
    code = "/".join(x for x in ("+".join(actor.codes), actor.sector) if x)  # a compound party: RUS+TUR
    text = " ".join(actor.text.split())
    return f"{text} ({code})" if code else text


def _time(event_or_attr: Event | Attribution) -> str:
    time = event_or_attr.time
    if time is None:
        return ""
    return f"  time: {time.text}" + (f" = {time.resolved}" if time.resolved else " (unresolved)")


CHANNEL_PREPOSITIONS = frozenset({"in", "on", "at", "through", "via", "by", "to", "during", "from", "over", "with"})


def _source_line(attribution: Attribution) -> str:
    source = attribution.source
    who = source.text if source is not None and source.text else "(no source)"
    kind = source.type if source else "unknown"
    if source is not None and source.antecedent is not None:
        who += f" [= {source.antecedent.text}]"
    extras = [kind, attribution.stance, attribution.quote]
    if attribution.channel:  # "in a statement to X" reads as it is; a bare "Twitter" as "via Twitter"
        channel = attribution.channel.text
        first = channel.split()[0].lower() if channel.split() else ""
        extras.append(channel if first in CHANNEL_PREPOSITIONS else f"via {channel}")
    return f"{attribution.id} {who} ({', '.join(extras)}) {attribution.cue.text!r}"


def _event_block(event: Event, by_id: dict[str, Attribution]) -> list[str]:
    kind = event.type + "".join(f"/{x}" for x in (event.mode, event.context) if x)
    head = f"{event.id:<4} {kind:<22} {_party(event.actor)} -> {_party(event.recipient)}"
    lines = [head]
    detail = f"     {event.status}, trigger {event.trigger.text!r}"
    if event.object:
        cls = f" [{event.object.cls}]" if event.object.cls else ""
        qty = f" x{event.object.quantity}" if event.object.quantity else ""
        detail += f", object {event.object.text!r}{cls}{qty}"
    lines.append(detail + _time(event))
    for ids, label in ((event.attributions, "backed by"), (event.denied_by, "DENIED by")):
        for attribution_id in ids:
            if attribution_id in by_id:
                lines.append(f"     {label}: {_source_line(by_id[attribution_id])}")
    if not event.attributions and not event.denied_by:
        lines.append("     backed by: the article itself (no attribution)")
    return lines


def render_text(report: Report) -> str:
    info = report.article
    title = plain(info.title or info.id or "(untitled article)")
    meta = [f"{k} {plain(v)}" for k, v in (("published", info.published), ("outlet", info.outlet)) if v]
    if info.dateline:
        meta.append(f"dateline {plain(info.dateline.text)}")
    lines = [f"== {title}" + (f"  ({', '.join(meta)})" if meta else "")]
    by_id = {a.id: a for a in report.attributions}
    lines.append(f"\nEVENTS ({len(report.events)})")
    for event in report.events:
        lines.extend(_event_block(event, by_id))
    lines.append(f"\nATTRIBUTIONS ({len(report.attributions)})")
    for attribution in report.attributions:
        content = attribution.content.text if attribution.content else ""
        parent = f" (inside {attribution.parent})" if attribution.parent else ""
        lines.append(f"{_source_line(attribution)}{parent}{_time(attribution)}")
        lines.append(f"     {_shorten(content)!r}")
    lines.extend(_signal_lines(report))
    # no terminal control sequence from the article reaches the screen (quoted parts are repr()'d already)
    return plain_lines("\n".join(lines)) + "\n"


def _signal_lines(report: Report) -> list[str]:
    signals = report.signals
    lines = ["\nSIGNALS"]
    if signals.anonymous_share is not None:
        lines.append(f"anonymous sources: {signals.anonymous_share:.0%} of attributed sources")
    lines.append(f"events without attribution: {signals.unattributed_events}")
    for group in signals.duplicate_sentences:
        lines.append(f"duplicated sentence x{len(group)}: {_shorten(report.text[group[0][0]:group[0][1]])!r}")
    for claim in signals.provenance:
        lines.append(f"provenance: {claim.outlet} {claim.claim.replace('_', ' ')}")
    return lines


def _shorten(text: str, width: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
