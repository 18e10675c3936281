"""The feed reader: RSS 0.9x/1.0/2.0, Atom and JSON Feed into source items, or a rejection."""

from __future__ import annotations

import hashlib
import json
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from media_etl.ingest.feeds import html_to_text, parse_feed_date, read_feed, sniff_feed
from media_etl.records import Rejection, SourceItem
from tests.conftest import corpus

RSS2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Caspian Wire &amp; Co</title>
  <link>https://wire.example/</link>
  <language>en-GB</language>
  <item>
    <title>Hello &lt;b&gt;Baku&lt;/b&gt; &amp;amp; Tbilisi</title>
    <link>https://wire.example/1</link>
    <guid isPermaLink="false">wire-0001</guid>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>First paragraph &amp; more.</p>
      <p>Second <em>paragraph</em><br>same line<br><br>third paragraph</p>
      <script>track()</script><style>p { color: red }</style>
      <div><img src="x.jpg" alt="photo">Fourth &eacute;t&#233; &#8217;</div>]]></content:encoded>
    <pubDate>Tue, 10 Jun 2003 04:00:00 +0400</pubDate>
    <dc:creator>Aysel Mammadova</dc:creator>
    <author>desk@wire.example (Wire Desk)</author>
  </item>
  <item>
    <title>Only a link</title>
    <link>https://wire.example/2</link>
  </item>
  <item>
    <description>No title, no link, no guid: &lt;b&gt;text&lt;/b&gt; only.</description>
  </item>
  <item>
    <link>https://wire.example/empty</link>
  </item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de-DE">
  <title type="html">Nachrichten &lt;i&gt;aktuell&lt;/i&gt;</title>
  <id>urn:feed</id>
  <updated>2020-01-03T00:00:00Z</updated>
  <author><name>Redaktion</name></author>
  <entry>
    <title type="text">Plain 5 &lt; 6 &amp; co</title>
    <id>urn:entry:1</id>
    <link rel="alternate" href="https://news.example/1"/>
    <link rel="enclosure" href="https://news.example/1.mp3"/>
    <published>2020-01-02T03:04:05+01:00</published>
    <updated>2020-01-03T00:00:00Z</updated>
    <author><name>Anna Schmidt</name><email>anna@news.example</email></author>
    <summary>Summary only.</summary>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Eins.</p><p>Zwei.</p></div></content>
  </entry>
  <entry>
    <title type="html">Esc &lt;b&gt;bold&lt;/b&gt;</title>
    <id>urn:entry:2</id>
    <updated>2020-01-03T10:15</updated>
    <summary type="text">Nur eine Zusammenfassung.</summary>
  </entry>
</feed>
"""

RSS1 = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/">
    <title>RDF Site</title>
    <link>https://rdf.example/</link>
    <description>An RSS 1.0 channel</description>
    <dc:language>fr</dc:language>
  </channel>
  <item rdf:about="https://rdf.example/a">
    <title>Premier article</title>
    <link>https://rdf.example/a</link>
    <description>Le texte.</description>
    <dc:date>2017-06-15T10:29:47-07:00</dc:date>
    <dc:creator>Jean Dupont</dc:creator>
  </item>
</rdf:RDF>
"""

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "JSON Wire",
    "home_page_url": "https://json.example/",
    "language": "tr-TR",
    "authors": [{"name": "Masa"}],
    "items": [
        {
            "id": "1",
            "url": "https://json.example/1",
            "title": "Borsa &amp; döviz",
            "content_html": "<p>Birinci paragraf.</p><p>İkinci paragraf.</p>",
            "content_text": "ignored because content_html is there",
            "date_published": "2024-03-05T09:30:00+03:00",
            "authors": [{"name": "Ayşe Yılmaz"}, {"url": "https://json.example/no-name"}],
        },
        {"id": 2, "title": "Plain", "content_text": "Line one\nLine two", "date_modified": "2024-03-05"},
        {"url": "https://json.example/3", "summary": "Only a summary"},
        {"id": "4"},
        "not an object",
    ],
}


def only_items(result: list[SourceItem] | Rejection) -> list[SourceItem]:
    assert not isinstance(result, Rejection), result
    return result


def rejection(result: list[SourceItem] | Rejection) -> Rejection:
    assert isinstance(result, Rejection), result
    return result


# --- RSS 2.0 ---------------------------------------------------------------------------------


def test_rss2_item_fields():
    items = only_items(read_feed(RSS2, "https://wire.example/feed.xml"))
    first = items[0]
    assert first.source_uri == "https://wire.example/feed.xml"
    assert first.source_kind == "feed"
    assert first.content_hash == hashlib.sha256(RSS2).hexdigest()
    assert first.encoding == "utf-8"
    assert first.item_key == "wire-0001"
    assert first.guid == "wire-0001"
    assert first.url == "https://wire.example/1"
    assert first.headline == "Hello Baku & Tbilisi"
    assert first.authors == ("Aysel Mammadova", "Wire Desk")
    assert first.site_name == "Caspian Wire & Co"
    assert first.language == "en"
    assert first.date_source == "feed"
    assert first.published_precision == "second"


def test_content_encoded_becomes_paragraph_lines():
    first = only_items(read_feed(RSS2, "feed.xml"))[0]
    assert first.text == ("First paragraph & more.\nSecond paragraph same line\nthird paragraph\nFourth été \u2019")


def test_pubdate_with_zone_is_an_aware_datetime():
    first = only_items(read_feed(RSS2, "feed.xml"))[0]
    assert isinstance(first.published, datetime)
    assert first.published == datetime(2003, 6, 10, 4, 0, 0, tzinfo=timezone(timedelta(hours=4)))
    assert first.published.utcoffset() == timedelta(hours=4)
    assert first.published == datetime(2003, 6, 10, 0, 0, 0, tzinfo=UTC)


def test_item_key_falls_back_to_link_then_position_and_empty_items_are_skipped():
    items = only_items(read_feed(RSS2, "feed.xml"))
    assert [item.item_key for item in items] == ["wire-0001", "https://wire.example/2", "#3"]
    assert items[1].guid is None
    assert items[1].text == ""
    assert items[2].headline is None
    assert items[2].text == "No title, no link, no guid: text only."


@pytest.mark.parametrize(
    ("authors", "names"),
    [
        (b"<author>desk@wire.example (Wire Desk)</author>", ("Wire Desk",)),
        (b"<author>Wire Desk &lt;desk@wire.example&gt;</author>", ("Wire Desk",)),
        (b"<author>joe@news.com (Joe Bloggs)</author>", ("Joe Bloggs",)),
        (b"<author>only@news.com</author>", ()),
        (b"<dc:creator>A. One</dc:creator><dc:creator>B. Two</dc:creator>", ("A. One", "B. Two")),
        (b"<dc:creator>Same</dc:creator><author>same@x.com (Same)</author>", ("Same",)),
    ],
)
def test_rss_authors_are_names_without_addresses(authors, names):
    feed = (
        b'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>'
        b"<item><title>x</title>" + authors + b"</item></channel></rss>"
    )
    (item,) = only_items(read_feed(feed, "feed.xml"))
    assert item.authors == names


def test_missing_dates_stay_missing():
    items = only_items(read_feed(RSS2, "feed.xml"))
    assert items[1].published is None
    assert items[1].published_precision is None
    assert items[1].date_source is None


def test_escaped_html_title_is_unescaped_and_stripped():
    feed = b"""<rss version="2.0"><channel><title>T</title>
      <item><title>Breaking: &lt;em&gt;Quake&lt;/em&gt; hits &amp;quot;Ganja&amp;quot; &amp;amp; region</title></item>
      <item><title><![CDATA[CDATA <i>title</i> &amp; more]]></title></item>
    </channel></rss>"""
    items = only_items(read_feed(feed, "feed.xml"))
    assert [item.headline for item in items] == ['Breaking: Quake hits "Ganja" & region', "CDATA title & more"]


def test_leading_whitespace_and_bom_before_the_xml_declaration_lose_nothing():
    for data in (b"\n\n   " + RSS2, b"\xef\xbb\xbf \r\n" + RSS2):
        items = only_items(read_feed(data, "feed.xml"))
        assert len(items) == 3
        assert items[0].content_hash == hashlib.sha256(data).hexdigest()


# --- Atom and RSS 1.0 ------------------------------------------------------------------------


def test_atom_entries():
    items = only_items(read_feed(ATOM, "atom.xml"))
    first, second = items
    assert first.item_key == first.guid == "urn:entry:1"
    assert first.url == "https://news.example/1"
    assert first.headline == "Plain 5 < 6 & co"
    assert first.text == "Eins.\nZwei."
    assert first.published == datetime(2020, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=1)))
    assert first.authors == ("Anna Schmidt",)
    assert first.language == "de"
    assert first.site_name == "Nachrichten aktuell"
    assert second.headline == "Esc bold"
    assert second.text == "Nur eine Zusammenfassung."
    # An Atom entry without an author inherits the feed's.
    assert second.authors == ("Redaktion",)
    # A timestamp without a zone is a naive local time, and it has no seconds.
    assert isinstance(second.published, datetime)
    assert second.published == datetime(2020, 1, 3, 10, 15)
    assert second.published.tzinfo is None
    assert second.published_precision == "minute"


def test_rss1_items():
    (item,) = only_items(read_feed(RSS1, "rdf.xml"))
    assert item.headline == "Premier article"
    assert item.url == item.item_key == "https://rdf.example/a"
    assert item.text == "Le texte."
    assert item.published == datetime(2017, 6, 15, 10, 29, 47, tzinfo=timezone(timedelta(hours=-7)))
    assert item.authors == ("Jean Dupont",)
    assert item.site_name == "RDF Site"
    assert item.language == "fr"


# --- JSON Feed -------------------------------------------------------------------------------


def test_json_feed_items():
    data = json.dumps(JSON_FEED, ensure_ascii=False).encode("utf-8")
    items = only_items(read_feed(data, "feed.json"))
    assert [item.item_key for item in items] == ["1", "2", "https://json.example/3"]
    first, second, third = items
    assert first.headline == "Borsa & döviz"
    assert first.text == "Birinci paragraf.\nİkinci paragraf."
    assert first.published == datetime(2024, 3, 5, 9, 30, tzinfo=timezone(timedelta(hours=3)))
    assert first.authors == ("Ayşe Yılmaz",)
    assert first.language == "tr"
    assert first.site_name == "JSON Wire"
    assert first.encoding == "utf-8"
    assert first.content_hash == hashlib.sha256(data).hexdigest()
    assert second.text == "Line one\nLine two"
    assert second.published == date(2024, 3, 5)
    assert second.published_precision == "day"
    assert second.authors == ("Masa",)
    assert third.headline is None
    assert third.text == "Only a summary"
    assert third.guid is None


def test_json_feed_1_0_author_and_escaped_slashes():
    data = (
        b'{"version": "https:\\/\\/jsonfeed.org\\/version\\/1", "title": "Old", "author": {"name": "Solo"},'
        b' "items": [{"id": "a", "title": "T", "content_text": "x"}]}'
    )
    assert sniff_feed(data)
    (item,) = only_items(read_feed(data, "feed.json"))
    assert item.authors == ("Solo",)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "malformed_feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "title": "x"}', "feed_without_items"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1"}]}', "feed_without_items"),
        (b'{"some": "json"}', "not_a_feed"),
        (b"{" * 100_000, "not_a_feed"),
    ],
)
def test_bad_json_feeds_are_rejections(data, reason):
    found = rejection(read_feed(data, "feed.json"))
    assert (found.stage, found.reason_code) == ("parse", reason)
    assert found.content_hash == hashlib.sha256(data).hexdigest()


# --- rejections and hostile input ------------------------------------------------------------


def test_a_feed_url_resolves_relative_links_and_a_path_does_not():
    feed = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
        b'<entry><id>e1</id><title>x</title><link href="/news/1"/></entry></feed>'
    )
    (fetched,) = only_items(read_feed(feed, "https://news.example/feed.atom"))
    (local,) = only_items(read_feed(feed, "/data/feed.atom"))
    assert fetched.url == "https://news.example/news/1"
    assert local.url == "/news/1"
    empty = b'<rss version="2.0"><channel><title>x</title></channel></rss>'
    assert rejection(read_feed(empty, "https://news.example/rss")).reason_code == "feed_without_items"


def test_html_page_is_not_a_feed():
    page = b"<!DOCTYPE html><html><head><title>News</title></head><body><p>Hello</p></body></html>"
    found = rejection(read_feed(page, "page.html"))
    assert (found.source_uri, found.stage, found.reason_code) == ("page.html", "parse", "not_a_feed")
    assert found.content_hash == hashlib.sha256(page).hexdigest()


@pytest.mark.parametrize(
    ("data", "reason", "detail"),
    [
        (b"", "empty", "empty"),
        (b" \n\t ", "empty", "empty"),
        (b"/etc/passwd", "not_a_feed", "root element"),
        (b"\x00\x01\x02\xff binary", "not_a_feed", "root element"),
        (b'<rss version="2.0"><channel><title>x</title></channel></rss>', "feed_without_items", "no items"),
        (b'<rss version="2.0"><channel><item><link>http://a</link></item></channel></rss>', "feed_without_items", "1"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item>', "malformed_feed", "SAXParse"),
    ],
)
def test_unusable_input_is_a_parse_rejection(data, reason, detail):
    found = rejection(read_feed(data, "in.xml"))
    assert (found.stage, found.reason_code) == ("parse", reason)
    assert detail in found.detail


def test_billion_laughs_returns_quickly():
    entities = '<!ENTITY lol0 "lol">\n' + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n{entities}]>\n<rss version="2.0"><channel><title>t</title>'
        "<item><title>&lol9;</title><description>body</description></item></channel></rss>"
    ).encode()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        items = only_items(read_feed(data, "bomb.xml"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 5
    assert peak < 20_000_000
    assert "lollol" not in (items[0].headline or "")


def test_one_long_entity_referenced_many_times_does_not_expand():
    # Quadratic blowup: feedparser keeps declarations without "&" and would expand this to 200 MB.
    entity = '<!ENTITY a "' + "A" * 100_000 + '">\n'
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n{entity}]>\n<rss version="2.0"><channel><title>t</title>'
        f"<item><title>x</title><description>{'&a;' * 2000}</description></item></channel></rss>"
    ).encode()
    tracemalloc.start()
    try:
        items = only_items(read_feed(data, "quadratic.xml"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000
    assert "AAAA" not in items[0].text


def test_external_entities_are_not_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    data = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY x SYSTEM "{secret.as_uri()}">\n]>\n'
        '<rss version="2.0"><channel><title>t</title><item><title>a &x; b</title></item></channel></rss>'
    ).encode()
    found = read_feed(data, "xxe.xml")
    assert "TOP-SECRET" not in repr(found)


def test_short_entity_declarations_still_work():
    data = (
        b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY nbsp "&#160;">\n<!ENTITY site "Example News">\n]>\n'
        b'<rss version="2.0"><channel><title>&site;</title><item><title>a&nbsp;b</title></item></channel></rss>'
    )
    (item,) = only_items(read_feed(data, "entities.xml"))
    assert item.site_name == "Example News"
    assert item.headline == "a b"


@settings(max_examples=60, deadline=None)
@given(
    prefix=st.sampled_from([b"", b"<rss version='2.0'><channel><item><title>", b"<feed>", b'{"version": "https://']),
    body=st.binary(max_size=300),
)
def test_never_raises(prefix, body):
    result = read_feed(prefix + body, "fuzz")
    assert isinstance(result, Rejection | list)


# --- dates -----------------------------------------------------------------------------------

PLUS4 = timezone(timedelta(hours=4))


@pytest.mark.parametrize(
    ("raw", "expected", "precision"),
    [
        ("Tue, 10 Jun 2003 04:00:00 +0400", datetime(2003, 6, 10, 4, 0, 0, tzinfo=PLUS4), "second"),
        ("Tue, 10 Jun 2003 04:00 +04:00", datetime(2003, 6, 10, 4, 0, tzinfo=PLUS4), "minute"),
        ("Wed, 03 Jan 2018 13:47:00 GMT\r\n      ", datetime(2018, 1, 3, 13, 47, tzinfo=UTC), "second"),
        ("07 Nov 2015 12:00:00 EST", datetime(2015, 11, 7, 12, 0, tzinfo=timezone(timedelta(hours=-5))), "second"),
        ("Tue, 10 Jun 2003 04:00:00", datetime(2003, 6, 10, 4, 0, 0), "second"),
        ("Fri, 22 Sep 2023 16:30:15 -0000", datetime(2023, 9, 22, 16, 30, 15), "second"),
        (
            "Seg, 24 Set 2018 19:42:40 -0300",
            datetime(2018, 9, 24, 19, 42, 40, tzinfo=timezone(-timedelta(hours=3))),
            "second",
        ),
        ("Pzt, 05 Şub 2024 09:00 +0300", datetime(2024, 2, 5, 9, 0, tzinfo=timezone(timedelta(hours=3))), "minute"),
        ("10 Jun 2003", date(2003, 6, 10), "day"),
        (
            "2017-06-15T10:29:47-07:00",
            datetime(2017, 6, 15, 10, 29, 47, tzinfo=timezone(timedelta(hours=-7))),
            "second",
        ),
        ("2009-07-22T19:02:57.616Z", datetime(2009, 7, 22, 19, 2, 57, 616000, tzinfo=UTC), "second"),
        ("2003-06-10T04:00Z", datetime(2003, 6, 10, 4, 0, tzinfo=UTC), "minute"),
        ("2003-06-10 04:00:00", datetime(2003, 6, 10, 4, 0, 0), "second"),
        ("2003-06-10", date(2003, 6, 10), "day"),
    ],
)
def test_feed_dates(raw, expected, precision):
    parsed, found_precision = parse_feed_date(raw)
    assert parsed == expected
    assert type(parsed) is type(expected)
    if isinstance(parsed, datetime) and isinstance(expected, datetime):
        assert parsed.utcoffset() == expected.utcoffset()
        assert (parsed.tzinfo is None) == (expected.tzinfo is None)
    assert found_precision == precision


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "yesterday",
        "1518478934",
        "03 Apr 02 1500 GMT",  # time without colon
        "Tue, 10 Jun 2003 04:00:00 CEST",  # a zone name email.utils cannot resolve: not guessed
        "Tue, 31 Feb 2003 04:00:00 +0100",
        "2003-02-31T04:00:00Z",
        "2003-06",
        "2003-06-10T04",
    ],
)
def test_unparsable_dates_are_none(raw):
    assert parse_feed_date(raw) == (None, None)


def test_unparsable_pubdate_falls_back_to_updated():
    feed = b"""<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>T</title>
      <item><title>x</title><pubDate>someday</pubDate><dc:date>2017-10-16T15:10:00+02:00</dc:date></item>
    </channel></rss>"""
    (item,) = only_items(read_feed(feed, "feed.xml"))
    assert item.published == datetime(2017, 10, 16, 15, 10, tzinfo=timezone(timedelta(hours=2)))


# --- HTML to text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>One <b>two</b><br>three</p>", "One two three"),
        ("x<br><br>y<br> <br/>z", "x\ny\nz"),
        ("<h2>Head</h2><ul><li>a</li><li>b</li></ul><blockquote>q</blockquote>", "Head\na\nb\nq"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"),
        ("<figure><img src=x><figcaption>Caption</figcaption></figure>", "Caption"),
        ("<script>alert(1)</script><style>p{}</style><noscript>n</noscript>kept", "kept"),
        ("&amp; &eacute; &#8217; &lt;tag&gt;", "& é \u2019 <tag>"),
        ("<p>\n  spread\n  over   lines\n</p>", "spread over lines"),
        ("<!-- comment -->text", "text"),
        ("", ""),
    ],
)
def test_html_to_text(markup, text):
    assert html_to_text(markup) == text


def test_html_to_text_survives_deep_nesting():
    # libxml2 stops building the tree at depth 256 (its resource limit): what lies deeper is lost.
    markup = "<p>kept</p>" + "<div>" * 5000 + "deep" + "</div>" * 5000
    assert html_to_text(markup).splitlines()[0] == "kept"


# --- sniffing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        b'<rss version="2.0"><channel>',
        b'\xef\xbb\xbf\n  <?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0">',
        b'<?xml version="1.0"?><?xml-stylesheet href="s.xsl"?><!-- made by hand -->\n<feed xmlns="http://www.w3.org/2005/Atom">',
        b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x.dtd">\n<rss>',
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "b">]><rss version="2.0">',
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        b'  {"version": "https://jsonfeed.org/version/1.1", "title": "x"}',
        b'{"title": "x", "version":"https:\\/\\/jsonfeed.org\\/version\\/1"}',
        '<?xml version="1.0" encoding="utf-16"?><rss version="2.0">'.encode("utf-16"),
    ],
)
def test_sniff_feed_recognises_feeds(head):
    assert sniff_feed(head)


@pytest.mark.parametrize(
    "head",
    [
        b"<!DOCTYPE html><html><head><title>x</title></head>",
        b"<html><body><p>Subscribe to our <rss> feed</p>",
        b'{"title": "x", "items": []}',
        b'[{"version": "https://jsonfeed.org/version/1"}]',
        b"Plain wire copy, BAKU, 5 March (AZERTAC).",
        b"",
        b"<?xml version='1.0'?><rsssomething/>",
    ],
)
def test_sniff_feed_rejects_other_content(head):
    assert not sniff_feed(head)


# --- real feeds ------------------------------------------------------------------------------


def test_iso_8859_1_feed_with_declaration():
    data = (corpus("feeds") / "rss-parser" / "test" / "input" / "encoding.rss").read_bytes()
    items = only_items(read_feed(data, "encoding.rss"))
    assert len(items) == 40
    assert items[0].encoding == "iso-8859-1"
    assert items[0].headline == "Mãe de utente é a nova presidente da Raríssimas"
    assert items[0].site_name == "Jornal de Notícias - Últimas Notícias"
    assert items[0].language == "pt"
    assert items[0].published == datetime(2018, 1, 3, 13, 47, tzinfo=UTC)
    assert items[0].text.startswith("Sónia Laygue")


def test_iso_8859_1_feed_without_declaration_and_portuguese_dates():
    data = (corpus("feeds") / "rss-parser" / "test" / "input" / "uolNoticias.rss").read_bytes()
    items = only_items(read_feed(data, "uolNoticias.rss"))
    assert len(items) == 15
    assert items[0].encoding == "windows-1252"
    assert items[0].headline == "Ibope: Bolsonaro perde de Haddad, Ciro e Alckmin em simulações de 2º turno"
    assert all("\ufffd" not in (item.headline or "") + item.text for item in items)
    assert items[0].published == datetime(2018, 9, 24, 19, 42, 40, tzinfo=timezone(-timedelta(hours=3)))
    assert all(item.published is not None for item in items)


def test_feedjira_json_feed():
    data = (corpus("feeds") / "feedjira" / "spec" / "sample_feeds" / "json_feed.json").read_bytes()
    assert sniff_feed(data[:4096])
    items = only_items(read_feed(data, "json_feed.json"))
    assert len(items) == 20
    first = items[0]
    assert first.headline == "James Dempsey and the Breakpoints Benefit App Camp for Girls"
    assert first.item_key == first.url == "http://inessential.com/2017/06/02/james_dempsey_and_the_breakpoints_benefi"
    assert first.published == datetime(2017, 6, 2, 22, 5, 47, tzinfo=timezone(-timedelta(hours=7)))
    assert first.authors == ("Brent Simmons",)
    assert first.language == "en"
    assert first.text.splitlines()[1].startswith("You should get tickets.")


def test_rss_parser_unrecognized_page_is_not_a_feed():
    data = (corpus("feeds") / "rss-parser" / "test" / "input" / "unrecognized.rss").read_bytes()
    assert not sniff_feed(data)
    assert rejection(read_feed(data, "unrecognized.rss")).reason_code == "not_a_feed"


def test_every_corpus_file_reads_without_raising():
    root = corpus("feeds")
    paths = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in {".rss", ".atom", ".xml", ".json"})
    assert len(paths) > 60
    read = 0
    for path in paths:
        result = read_feed(path.read_bytes(), str(path))
        if isinstance(result, list):
            read += 1
            assert all(item.headline or item.text for item in result)
            assert len({item.content_hash for item in result}) == 1
    assert read > 50
