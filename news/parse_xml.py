"""The fast path: well-formed RSS 2.0, RSS 1.0 (RDF) and Atom 1.0 read with lxml.

The parser is strict (`recover=False`) and never touches the network, a DTD or an entity: any
document it refuses goes to the feedparser fallback instead. `read_xml` returns None for a
well-formed document in a dialect it does not know (RSS 0.90, Atom 0.3...), so that the
fallback reads those too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from lxml import etree
from lxml.etree import _Element as XmlElement

from news.entries import RawEntry

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
MEDIA = "{http://search.yahoo.com/mrss/}"
ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"


class NotWellFormed(Exception):
    """lxml refused the document; the message is lxml's first error."""


def _new_parser(encoding: str | None) -> etree.XMLParser:
    return etree.XMLParser(
        encoding=encoding,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=False,
        remove_comments=True,
        remove_pis=True,
    )


def read_xml(
    body: bytes, url: str, max_entries: int, encoding: str | None = None
) -> list[RawEntry] | None:
    """The items of a well-formed feed, or None for a well-formed document of another kind.

    Raises `NotWellFormed` when lxml refuses the bytes. `encoding` overrides the document's
    own declaration (used for an HTTP charset when the document declares none).
    """
    try:
        root = etree.fromstring(body, _new_parser(encoding), base_url=url or None)
    except (etree.XMLSyntaxError, ValueError, LookupError) as exc:
        raise NotWellFormed(
            str(exc).splitlines()[0][:200] if str(exc) else "not well-formed"
        ) from exc
    if root is None:
        return None
    tag = root.tag
    if tag == "rss":
        # Items belong in <channel>; some feeds put them beside it, so look everywhere.
        return _take(root.iter("item"), _rss_item, max_entries)
    if tag == f"{RDF}RDF":
        return _take(root.iter(f"{RSS1}item"), _rss_item, max_entries)
    if tag == f"{ATOM}feed":
        return _take(root.iterchildren(f"{ATOM}entry"), _atom_entry, max_entries)
    return None


def root_name(body: bytes) -> str:
    """A readable name for the document's root element ("" when lxml cannot read it)."""
    try:
        root = etree.fromstring(body, _new_parser(None))
    except (etree.XMLSyntaxError, ValueError, LookupError):
        return ""
    return "" if root is None else etree.QName(root).localname


def _take(
    items: Iterator[XmlElement], read: Callable[[XmlElement], RawEntry], limit: int
) -> list[RawEntry]:
    raws: list[RawEntry] = []
    for item in items:
        if len(raws) >= limit:
            break
        raws.append(read(item))
    return raws


def _rss_item(item: XmlElement) -> RawEntry:
    fields: dict[str, str] = {}
    texts: list[str] = []
    images: dict[str, str] = {}
    guid_is_link = True
    for child in item:
        tag = child.tag
        if tag in _RSS_TEXT_TAGS:
            texts.append(_inner(child))
        elif tag in _RSS_FIELDS:
            key = _RSS_FIELDS[tag]
            if key not in fields:
                fields[key] = _inner(child) if key == "title" else (child.text or "").strip()
            if tag == "guid":
                guid_is_link = child.get("isPermaLink", "true").strip().lower() == "true"
        else:
            _collect_image(child, images)
    link = fields.get("link")
    guid = fields.get("guid") or (item.get(f"{RDF}about") or "").strip() or None
    if not link and guid and guid_is_link and guid.startswith(("http://", "https://")):
        link = guid
    return RawEntry(
        id=guid,
        link=link,
        title=fields.get("title"),
        texts=tuple(texts),
        dates=tuple(fields[key] for key in ("published", "dc_date") if fields.get(key)),
        author=fields.get("author") or fields.get("creator"),
        image=pick_image(images),
        base=item.base,
    )


_RSS_TEXT_TAGS = frozenset(
    {"description", f"{CONTENT}encoded", f"{RSS1}description", f"{ATOM}content", f"{ATOM}summary"}
)
_RSS_FIELDS = {
    "title": "title",
    f"{RSS1}title": "title",
    f"{DC}title": "title",
    "link": "link",
    f"{RSS1}link": "link",
    "guid": "guid",
    "pubDate": "published",
    f"{DC}date": "dc_date",
    "author": "author",
    f"{DC}creator": "creator",
}


def _atom_entry(entry: XmlElement) -> RawEntry:
    fields: dict[str, str] = {}
    texts: list[str] = []
    link: str | None = None
    images: dict[str, str] = {}
    for child in entry:
        tag = child.tag
        if tag == f"{ATOM}content" or tag == f"{ATOM}summary":
            if child.get("src") is None:
                texts.append(_atom_text(child))
        elif tag == f"{ATOM}link":
            rel = child.get("rel", "alternate")
            if rel == "alternate" and link is None:
                link = child.get("href")
            elif rel == "enclosure" and is_image(child.get("type"), child.get("href")):
                images.setdefault("enclosure", child.get("href") or "")
        elif tag == f"{ATOM}author":
            fields.setdefault("author", _atom_author(child))
        elif tag in _ATOM_FIELDS:
            key = _ATOM_FIELDS[tag]
            if key not in fields:
                fields[key] = _atom_text(child) if key == "title" else (child.text or "").strip()
        else:
            _collect_image(child, images)
    return RawEntry(
        id=fields.get("id"),
        link=link,
        title=fields.get("title"),
        texts=tuple(texts),
        dates=tuple(fields[key] for key in ("published", "updated") if fields.get(key)),
        author=fields.get("author"),
        image=pick_image(images),
        base=entry.base,
    )


_ATOM_FIELDS = {
    f"{ATOM}id": "id",
    f"{ATOM}title": "title",
    f"{ATOM}published": "published",
    f"{ATOM}updated": "updated",
}


def _atom_author(author: XmlElement) -> str:
    name = author.find(f"{ATOM}name")
    return (name.text or "").strip() if name is not None else ""


def _atom_text(element: XmlElement) -> str:
    """An Atom text construct as markup (text, html and xhtml all come out as HTML-ish text)."""
    if element.get("type", "text") == "text":
        text = element.text or ""
        return text.replace("&", "&amp;").replace("<", "&lt;")
    return _inner(element)


def _inner(element: XmlElement) -> str:
    """The element's content: its text, or its children serialised as markup (inline XHTML)."""
    if len(element) == 0:
        return element.text or ""
    parts = [element.text or ""]
    parts.extend(etree.tostring(child, encoding=str, with_tail=True) for child in element)
    return "".join(parts)


def _collect_image(element: XmlElement, images: dict[str, str]) -> None:
    """Note the first image of each kind (enclosure, media content, thumbnail, iTunes)."""
    tag = element.tag
    url = element.get("url")
    if tag == "enclosure":
        if url and is_image(element.get("type"), url):
            images.setdefault("enclosure", url)
    elif tag == f"{MEDIA}content":
        if url and (element.get("medium") == "image" or is_image(element.get("type"), url)):
            images.setdefault("media", url)
    elif tag == f"{MEDIA}thumbnail":
        if url:
            images.setdefault("thumbnail", url)
    elif tag == f"{MEDIA}group":
        for child in element:
            _collect_image(child, images)
    elif tag == f"{ITUNES}image" and element.get("href"):
        images.setdefault("itunes", element.get("href") or "")


IMAGE_KINDS = ("enclosure", "media", "thumbnail", "itunes")


def pick_image(images: dict[str, str]) -> str | None:
    """The best image found: an enclosure, else media content, a thumbnail, an iTunes image."""
    for kind in IMAGE_KINDS:
        if images.get(kind):
            return images[kind]
    return None


_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")


def is_image(mime: str | None, url: str | None = None) -> bool:
    if mime:
        return mime.strip().lower().startswith("image/")
    if not url:
        return False
    return url.lower().split("?", 1)[0].endswith(_IMAGE_SUFFIXES)
