"""The pooled feed: one RSS 2.0 or JSON Feed 1.1 document of current stories across outlets.

A story is a cluster of near-duplicate articles (``story_clusters``), or an article in no
cluster. Its item is the story's first version (``is_first``, else the earliest) with its
headline, link, date, outlet, agency and language, and it links every other outlet's copy and
language edition: in RSS as ``atom:link rel="alternate"`` elements (with ``hreflang``), as
``category`` elements and in the description; in JSON Feed as the ``_media_etl`` extension
object. A story is in the feed when any of its current article versions passes the filters;
the newest stories (by their first version's publication time) come first.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from email.utils import format_datetime
from html import escape

import duckdb

from media_etl.report.filters import ArticleFilter, conditions

FEED_FORMATS = ("rss", "jsonfeed")
"""The pooled feed's formats."""
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/elements/1.1/"
SUMMARY_CHARACTERS = 400
DEFAULT_FEED_LIMIT = 100

# Every current article version with its story (its cluster, else itself) and its place in it.
_MEMBERS = """
    select
        a.article_id,
        coalesce(c.cluster_id, a.article_id) as story_id,
        coalesce(c.is_first, true) as is_first,
        c.lag_seconds,
        a.headline,
        a.url,
        a.outlet_label,
        a.agency,
        a.language,
        a.dateline_country,
        a.published_date,
        a.published_at,
        a.body
    from stg_articles as a
    left join story_clusters as c using (article_id)
"""

STORIES_SQL = f"""
with members as ({_MEMBERS}),

kept as (
    select distinct story_id from members where {conditions("members")}
),

ranked as (
    select
        members.*,
        row_number() over (
            partition by members.story_id
            order by members.is_first desc, members.published_date nulls last, members.published_at nulls last,
                members.article_id
        ) as position
    from members
    inner join kept using (story_id)
),

chosen as (
    select story_id
    from ranked
    where position = 1
    order by coalesce(published_at, cast(published_date as timestamptz)) desc nulls last, article_id
    limit $limit
)

select ranked.* exclude (position), ranked.position
from ranked
inner join chosen using (story_id)
order by story_id, position
"""


@dataclass(frozen=True)
class Copy:
    """One current article version of a story."""

    article_id: str
    headline: str | None
    url: str | None
    outlet: str
    agency: str | None
    language: str | None
    dateline_country: str | None
    published_date: date | None
    published_at: datetime | None
    lag_seconds: int | None
    body: str | None

    @property
    def published(self) -> datetime | None:
        """The publication instant in UTC; midnight UTC when only the day is known."""
        if self.published_at is not None:
            return self.published_at.astimezone(UTC)
        if self.published_date is not None:
            return datetime.combine(self.published_date, time(0), tzinfo=UTC)
        return None

    def published_text(self) -> str | None:
        """The publication time as ISO 8601 text, or the day alone when no time is known."""
        if self.published_at is not None:
            return self.published_at.astimezone(UTC).isoformat()
        return self.published_date.isoformat() if self.published_date else None

    def as_json(self) -> dict[str, object]:
        """The copy as a JSON object (the ``_media_etl`` extension's ``copies``)."""
        return {
            "article_id": self.article_id,
            "title": self.headline,
            "url": self.url,
            "outlet": self.outlet,
            "agency": self.agency,
            "language": self.language,
            "dateline_country": self.dateline_country,
            "date_published": self.published_text(),
            "lag_seconds": self.lag_seconds,
        }


@dataclass
class Story:
    """A story: its first version and the other copies, earliest first."""

    story_id: str
    first: Copy
    copies: list[Copy] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        """Every outlet that carried the story, the first one first."""
        return list(dict.fromkeys([self.first.outlet, *(c.outlet for c in self.copies)]))

    @property
    def languages(self) -> list[str]:
        """Every language the story ran in, the first version's first."""
        found = [self.first.language, *(c.language for c in self.copies)]
        return list(dict.fromkeys(language for language in found if language))

    def summary(self) -> str:
        """The first version's opening paragraph, cut at ``SUMMARY_CHARACTERS``."""
        body = (self.first.body or "").strip()
        lede = body.split("\n\n", 1)[0].split("\n", 1)[0].strip()
        return lede if len(lede) <= SUMMARY_CHARACTERS else lede[: SUMMARY_CHARACTERS - 1].rstrip() + "…"


@dataclass(frozen=True)
class FeedInfo:
    """What the feed says about itself."""

    title: str
    link: str
    description: str


def _copy(row: dict[str, object]) -> Copy:
    return Copy(
        article_id=str(row["article_id"]),
        headline=_text(row["headline"]),
        url=_text(row["url"]),
        outlet=str(row["outlet_label"]),
        agency=_text(row["agency"]),
        language=_text(row["language"]),
        dateline_country=_text(row["dateline_country"]),
        published_date=row["published_date"] if isinstance(row["published_date"], date) else None,
        published_at=row["published_at"] if isinstance(row["published_at"], datetime) else None,
        lag_seconds=int(row["lag_seconds"]) if isinstance(row["lag_seconds"], int) else None,
        body=_text(row["body"]),
    )


def _text(value: object) -> str | None:
    return str(value) if value is not None else None


def _sort_key(story: Story) -> tuple[bool, float, str]:
    moment = story.first.published
    return (moment is None, -(moment.timestamp() if moment else 0.0), story.first.article_id)


def pooled_stories(
    connection: duckdb.DuckDBPyConnection, filters: ArticleFilter, limit: int = DEFAULT_FEED_LIMIT
) -> list[Story]:
    """Read the newest stories that any current article version passing the filters belongs to.

    Args:
        connection: A connection to media.db.
        filters: The article filters.
        limit: Most stories.

    Returns:
        The stories, newest first (undated last), each with its copies earliest first.
    """
    cursor = connection.execute(STORIES_SQL, {**filters.params(), "limit": limit})
    names = [d[0] for d in cursor.description or []]
    stories: dict[str, Story] = {}
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        story_id = str(row["story_id"])
        if row["position"] == 1:
            stories[story_id] = Story(story_id, _copy(row))
        else:
            stories[story_id].copies.append(_copy(row))
    return sorted(stories.values(), key=_sort_key)


def _copy_line(copy: Copy) -> str:
    when = copy.published_text() or "date unknown"
    lag = f", {copy.lag_seconds / 3600:.1f} h after the first" if copy.lag_seconds is not None else ""
    return f"{copy.outlet} ({copy.language or 'language unknown'}), {when}{lag}: {copy.headline or '(no headline)'}"


def _description_html(story: Story) -> str:
    first = story.first
    parts = []
    if story.summary():
        parts.append(f"<p>{escape(story.summary())}</p>")
    credit = f" for {escape(first.agency)}" if first.agency and first.agency != first.outlet else ""
    parts.append(
        f"<p>First published by {escape(first.outlet)}{credit} ({escape(first.language or 'language unknown')})"
        f", {escape(first.published_text() or 'date unknown')}.</p>"
    )
    if story.copies:
        items = []
        for copy in story.copies:
            line = escape(_copy_line(copy))
            if copy.url:
                hreflang = f' hreflang="{escape(copy.language)}"' if copy.language else ""
                line = f'<a href="{escape(copy.url)}"{hreflang}>{line}</a>'
            items.append(f"<li>{line}</li>")
        parts.append(f"<p>Also carried by {len(story.copies)} cop{'y' if len(story.copies) == 1 else 'ies'}:</p>")
        parts.append("<ul>" + "".join(items) + "</ul>")
    return "".join(parts)


def render_rss(stories: list[Story], info: FeedInfo, now: datetime | None = None) -> bytes:
    """Render stories as an RSS 2.0 document.

    Args:
        stories: The stories, in feed order.
        info: The channel's title, link and description.
        now: The build time (``lastBuildDate``); the current time by default.

    Returns:
        The document, UTF-8 with an XML declaration.
    """
    ET.register_namespace("atom", ATOM)
    ET.register_namespace("dc", DC)
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = info.title
    ET.SubElement(channel, "link").text = info.link
    ET.SubElement(channel, "description").text = info.description
    ET.SubElement(channel, "lastBuildDate").text = format_datetime(now or datetime.now(UTC), usegmt=True)
    ET.SubElement(channel, "generator").text = "media-etl"
    for story in stories:
        first = story.first
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = first.headline or "(no headline)"
        if first.url:
            ET.SubElement(item, "link").text = first.url
        ET.SubElement(item, "description").text = _description_html(story)
        ET.SubElement(item, f"{{{DC}}}creator").text = first.outlet
        for outlet in story.outlets:
            ET.SubElement(item, "category", {"domain": "outlet"}).text = outlet
        if first.agency:
            ET.SubElement(item, "category", {"domain": "agency"}).text = first.agency
        for language in story.languages:
            ET.SubElement(item, "category", {"domain": "language"}).text = language
        if first.language:
            ET.SubElement(item, f"{{{DC}}}language").text = first.language
        ET.SubElement(item, "guid", {"isPermaLink": "false"}).text = f"media-etl:story:{story.story_id}"
        if first.published is not None:
            ET.SubElement(item, "pubDate").text = format_datetime(first.published, usegmt=True)
        for copy in story.copies:
            if copy.url:
                attributes = {"rel": "alternate", "href": copy.url, "title": f"{copy.outlet}: {copy.headline or ''}"}
                if copy.language:
                    attributes["hreflang"] = copy.language
                ET.SubElement(item, f"{{{ATOM}}}link", attributes)
    ET.indent(rss)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"


def render_json_feed(stories: list[Story], info: FeedInfo) -> bytes:
    """Render stories as a JSON Feed 1.1 document.

    Args:
        stories: The stories, in feed order.
        info: The feed's title, home page and description.

    Returns:
        The document as UTF-8 JSON. Each item carries a ``_media_etl`` extension object with
        the story id, the first version's outlet, agency, language and dateline country, the
        story's outlets and languages, and its other ``copies``.
    """
    items = []
    for story in stories:
        first = story.first
        item: dict[str, object] = {"id": f"media-etl:story:{story.story_id}"}
        if first.url:
            item["url"] = first.url
        item["title"] = first.headline or "(no headline)"
        item["content_html"] = _description_html(story)
        if story.summary():
            item["summary"] = story.summary()
        if first.published is not None:
            item["date_published"] = first.published.isoformat()
        item["authors"] = [{"name": first.outlet}]
        item["tags"] = story.outlets
        if first.language:
            item["language"] = first.language
        item["_media_etl"] = {
            "story_id": story.story_id,
            "article_id": first.article_id,
            "outlet": first.outlet,
            "agency": first.agency,
            "language": first.language,
            "dateline_country": first.dateline_country,
            "date_published": first.published_text(),
            "outlets": story.outlets,
            "languages": story.languages,
            "copies": [copy.as_json() for copy in story.copies],
        }
        items.append(item)
    document = {
        "version": JSON_FEED_VERSION,
        "title": info.title,
        "home_page_url": info.link,
        "description": info.description,
        "items": items,
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def render_feed(stories: list[Story], info: FeedInfo, fmt: str) -> bytes:
    """Render stories in one of ``FEED_FORMATS``.

    Args:
        stories: The stories, in feed order.
        info: The feed's title, link and description.
        fmt: ``rss`` or ``jsonfeed``.

    Returns:
        The document's bytes.
    """
    if fmt == "rss":
        return render_rss(stories, info)
    if fmt == "jsonfeed":
        return render_json_feed(stories, info)
    raise ValueError(f"{fmt!r} is not one of {', '.join(FEED_FORMATS)}")
