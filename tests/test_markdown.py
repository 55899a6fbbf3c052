"""waqai.markdown: CommonMark with tables, and nothing that runs or loads."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it.common.normalize_url import normalizeLink

from waqai.markdown import PLAIN_URL, ROOT, _parser, _plain_html, image_problems, place_root, render_markdown

MEDIA = frozenset({"media/map.png", "media/2021/photo.jpg"})


@dataclass(frozen=True)
class Shown:
    """A body as a page shows it, and the problems `check` reports in it."""

    html: str
    problems: tuple[tuple[int, str], ...]


def render(body: str, root: str = "../../../") -> Shown:
    """An incident page's body (three folders below the site's top)."""
    rendered = render_markdown(body)
    return Shown(place_root(rendered.html, root), tuple(image_problems(rendered.images, MEDIA)))


def html(body: str) -> BeautifulSoup:
    return BeautifulSoup(render(body).html, "html.parser")


@pytest.mark.parametrize("body", [
    "<script>alert(1)</script>\n",
    "Before <img src=x onerror=alert(1)> after\n",
    '<div onclick="alert(1)">text</div>\n',
    "<iframe src=https://evil.example/></iframe>\n",
], ids=["script", "img-onerror", "div-onclick", "iframe"])
def test_raw_html_is_shown_as_text(body: str) -> None:
    page = html(body)
    assert page.find(["script", "img", "div", "iframe"]) is None
    assert page.get_text().strip() == body.strip()


@pytest.mark.parametrize("url", [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<b>x</b>",
    "&#106;avascript:alert(1)",
    "file:///etc/passwd",
], ids=["javascript", "mixed-case", "vbscript", "data", "entity", "file"])
def test_unsafe_links_are_not_links(url: str) -> None:
    page = html(f"[click]({url}) and <{url}>\n")
    assert page.find("a") is None
    assert "click" in page.get_text()


@pytest.mark.parametrize("url", [
    "https://www.rozana.fm/", "http://example.org/a?b=1", "mailto:desk@example.org", "../../about/",
])
def test_safe_links_are_links(url: str) -> None:
    link = html(f"[here]({url})\n").find("a")
    assert link is not None
    assert (link["href"], link.get_text()) == (url, "here")


@pytest.mark.parametrize("src", [
    "https://evil.example/x.png",
    "http://evil.example/x.png",
    "//evil.example/x.png",
])
def test_an_external_image_is_a_link_and_never_loaded(src: str) -> None:
    rendered = render(f"![the crowd]({src})\n")
    page = BeautifulSoup(rendered.html, "html.parser")
    assert page.find("img") is None
    link = page.find("a")
    assert link is not None
    assert (link["href"], link.get_text()) == (src, "the crowd")
    assert rendered.problems == ()


def test_a_data_image_is_neither_loaded_nor_linked() -> None:
    page = html("![x](data:image/png;base64,AAAA)\n")
    assert page.find(["img", "a"]) is None


@pytest.mark.parametrize(("src", "root", "expected"), [
    ("media/map.png", "../../../", "../../../media/map.png"),
    ("/media/map.png", "../../../", "../../../media/map.png"),
    ("media/2021/photo.jpg", "../../", "../../media/2021/photo.jpg"),
    ("media/./2021/../map.png", "../../", "../../media/map.png"),
], ids=["incident", "rooted", "page-in-sub-folder", "normalised"])
def test_a_local_image_is_shown(src: str, root: str, expected: str) -> None:
    rendered = render(f'![Map of *Hasakah*]({src} "The city")\n', root=root)
    img = BeautifulSoup(rendered.html, "html.parser").find("img")
    assert img is not None
    assert (img["src"], img["alt"], img["title"]) == (expected, "Map of Hasakah", "The city")
    assert rendered.problems == ()


def test_a_missing_local_image_is_reported_at_its_body_line() -> None:
    rendered = render("First paragraph.\n\nSecond\n![x](media/none.png)\n")
    assert rendered.problems == ((2, "image 'media/none.png' not found in the content's media/ folder"),)


def test_an_image_outside_media_is_reported_and_not_loaded() -> None:
    rendered = render("![x](../secret.png)\n")
    assert rendered.problems == ((0, "image '../secret.png' is not in the media/ folder"),)
    assert BeautifulSoup(rendered.html, "html.parser").find("img") is None


def test_media_path_cannot_climb_out() -> None:
    rendered = render("![x](media/../../config.yaml)\n")
    assert BeautifulSoup(rendered.html, "html.parser").find("img") is None
    assert rendered.problems == ((0, "image 'media/../../config.yaml' is not in the media/ folder"),)


def test_tables_render() -> None:
    page = html("| Place | Killed |\n| --- | ---: |\n| الحسكة | 2 |\n| Qamishli | 0 |\n")
    table = page.find("table")
    assert table is not None
    assert [th.get_text() for th in table.find_all("th")] == ["Place", "Killed"]
    rows = [[td.get_text() for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]
    assert rows == [["الحسكة", "2"], ["Qamishli", "0"]]


def test_commonmark_basics() -> None:
    page = html("## Timeline\n\n- **one**\n- *two*\n\n> quoted\n")
    assert page.find("h2").get_text() == "Timeline"
    assert [li.decode_contents() for li in page.find_all("li")] == ["<strong>one</strong>", "<em>two</em>"]
    assert page.find("blockquote") is not None


def test_arabic_text_is_kept() -> None:
    assert html("نص الواقعة **بالعربية**.\n").find("strong").get_text() == "بالعربية"


WEB_ADDRESSES = st.builds(
    lambda scheme, host, path, query, fragment: f"{scheme}://{host}{path}{query}{fragment}",
    st.sampled_from(["http", "https", "HTTP", "ftp"]),
    st.from_regex(r"[a-zA-Z0-9.\-:@\u0627-\u064a]{1,20}", fullmatch=True),
    st.text(alphabet="/abcXYZ019._~-%: []\u0633", max_size=20).map(lambda text: "/" + text if text else ""),
    st.text(alphabet="abc=&?%._-", max_size=10).map(lambda text: "?" + text if text else ""),
    st.text(alphabet="abc#%._-", max_size=8).map(lambda text: "#" + text if text else ""))


@settings(max_examples=3000, deadline=None)
@given(WEB_ADDRESSES)
def test_links_are_written_as_markdown_it_writes_them(url: str) -> None:
    """Plain web addresses skip markdown-it's normalisation; every address
    is still written exactly as markdown-it would write it."""
    assert _parser().normalizeLink(url) == normalizeLink(url)


@pytest.mark.parametrize("url", ["https://www.enabbaladi.net/news/8771-0", "http://a.b/~x/?q=1&r=2#top",
                                 "http://xn--80ak6aa92e.com/", "https://example.org/"])
def test_a_plain_web_address_is_written_as_it_is(url: str) -> None:
    assert PLAIN_URL.fullmatch(url)
    assert html(f"[source]({url})").a["href"] == normalizeLink(url) == url


PROSE = [
    "قالت مصادر محلية إن **عشرات** المحتجين تجمّعوا أمام المبنى، وطالبوا *بالإفراج* عن المعتقلين.\n",
    "## الخلفية\n\nبدأ التوتر صباح [الجمعة](https://www.enabbaladi.net/news/8771-0 \"عنب بلدي\") ثم امتدّ.\n",
    "- first item\n- second with [a source](http://a.b/~x/?q=1&r=2#top)\n\n1. one\n2. two\n",
    "> A witness said the road was closed.\n\nThen *more*\ntext on two lines.  \nAnd a hard break.\n",
    "Heading\n=======\n\n---\n\nA `code span` and a hard break    \nin one paragraph.\n",
    "Indented code:\n\n    x = 1\n\n- a list\n   continued\n  - nested\n",
    "Escapes: \\*not emphasis\\*, 5 * 3, a_b_c, &amp; &copy; &#1576;, 100% \"quoted\" 'single'.\n",
    "***both*** and **bold *inside* bold** and *em **strong** em*\n",
]


@pytest.mark.parametrize("body", PROSE)
def test_plain_prose_is_written_as_markdown_it_writes_it(body: str) -> None:
    """Most bodies (text, emphasis, lists, links to sources) are rendered by
    cmark-gfm, in C: byte for byte what markdown-it-py writes."""
    fast = _plain_html(body)
    assert fast is not None
    assert fast == _parser().render(body, {"root": ROOT})


@pytest.mark.parametrize("body", [
    "Raw <b>html</b>\n", "An autolink <https://a.org/>\n", "| a | b |\n| - | - |\n| 1 | 2 |\n",
    "![x](https://a.org/x.png)\n", "![x](media/map.png)\n", "[x](javascript:alert(1))\n",
    "[x](ftp://a.org/)\n", "[x](mailto:desk@example.org)\n", "[x](../../about/)\n",
    "[x](https://a.org/%E2%82%AC)\n", "[x][r]\n\n[r]: javascript:alert(1)\n", "**«قال»**\n",
    "```\ncode\n```\n", "A\tB\n", "no\u00a0break\n", ">\n",
], ids=["raw-html", "autolink", "table", "image", "local-image", "javascript", "ftp", "mailto", "relative",
        "encoded", "reference", "symbol-emphasis", "fence", "tab", "nbsp", "empty-quote"])
def test_bodies_the_rules_act_on_are_rendered_under_them(body: str) -> None:
    assert _plain_html(body) is None


BODY_PIECES = st.sampled_from([
    "text ", "نص ", "**", "*", "_", "`", "\n", "\n\n", "- ", "1. ", "> ", "# ", "<b>",
    "<script>alert(1)</script>",
    "[a](https://a.org/x)", "[b](javascript:alert(1))", "[c](JAVASCRIPT:x)", "[d](data:text/html,x)",
    "[e](vbscript:x)", "[f](//evil.example/)", "![g](https://evil.example/x.png)", "![h](media/map.png)",
    "![i](data:image/png;base64,AAAA)", "<javascript:alert(1)>", "[r]", "\n[r]: javascript:alert(1)\n",
    "&#106;avascript:", "|", "\\", "«", "&lt;", "\x00",
])


@settings(max_examples=1500, deadline=None)
@given(st.lists(BODY_PIECES, max_size=20).map("".join))
def test_any_body_links_only_safe_addresses_and_loads_only_local_media(body: str) -> None:
    page = BeautifulSoup(render_markdown(body).html, "html.parser")
    assert page.find(["script", "iframe", "object", "b"]) is None
    for link in page.find_all("a"):
        assert _parser().validateLink(link["href"]), link
    for image in page.find_all("img"):
        assert image["src"] == ROOT + "media/map.png", image
