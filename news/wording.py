"""Words as grouping compares them: tokens, a light stemmer, synonyms folded into concepts,
dates joined into one token, clock times dropped. Pure; shared with `news.summary`.
"""

from __future__ import annotations

import re
from functools import lru_cache

TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[a-z\u00c0-\u024f\u0400-\u04ff]+\d*")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP = _words(
    """a about above across after again against all almost also although am among an and another
    any are around as at be because been before being below between both but by can could did do
    does doing down during each either else ever every few for from further had has have having
    he her here hers him his how however i if in into is it its itself just least less let like
    made make many may me might more most much must my near neither no nor not now of off often
    on once one only or other our out over own per perhaps put quite rather really same she
    should since so some such than that the their them then there these they this those though
    through thus to too toward towards under until up upon us very via was we were what when where
    whether which while who whom whose why will with within without would yet you your says said
    say saying told tell tells according reported reports report reporting amid despite new
    latest week day days time times year years today tonight yesterday tomorrow monday tuesday
    wednesday thursday friday saturday sunday morning evening night late early first last next
    two three four five six seven eight nine ten news update live video watch breaking exclusive
    mr mrs ms dr s t it's ap reuters afp bloomberg adding added add also vladimir volodymyr
    donald steve sergei sergey
    dmitry dmitri marco recep tayyip andriy andrii rustem emmanuel keir friedrich yury yuri
    kirill vladimirovich jd j d alexander oleksandr andrei andrey january february march april
    june july august september october november december jan feb mar apr jun jul aug sep oct nov
    dec"""
)
GENERIC = _words(
    """ukraine russia us talk peace war president official minister foreign government country side
    party leader state statement kremlin spokesman spokesperson comment conflict invasion region
    military source told tass ria interfax ukrinform state european europe west western ceasefire
    propose agree meet reject envoy delegation end ending settlement diplomat diplomatic process
    deal plan moscow kyiv call"""
)
_SYNONYMS: dict[str, str] = {}


def _synonyms(concept: str, words: str) -> None:
    for word in words.split():
        _SYNONYMS[word] = concept


_synonyms(
    "ukraine", "ukraine ukrainian ukrainians kyiv kiev zelensky zelenskyy zelenskiy zelenskii"
)
_synonyms("russia", "russia russian russians moscow kremlin putin peskov lavrov zakharova")
_synonyms("us", "u.s u.s. usa american americans washington trump white biden")
_synonyms("ceasefire", "ceasefire ceasefires truce truces cease-fire armistice")
_synonyms(
    "talk",
    "talk talks negotiation negotiations negotiate negotiated negotiating "
    "negotiator negotiators parley",
)
_synonyms("exchange", "exchange exchanges exchanged swap swaps swapped trade traded")
_synonyms("prisoner", "prisoner prisoners pow pows captive captives detainee detainees pows")
_synonyms("body", "body bodies remains")
_synonyms(
    "propose",
    "propose proposes proposed proposal proposals offer offers offered plan plans initiative",
)
_synonyms(
    "reject",
    "reject rejects rejected rejection dismiss dismisses dismissed rebuff "
    "rebuffs rebuffed refuse refuses refused",
)
_synonyms("agree", "agree agrees agreed agreement agreements deal deals accord")
_synonyms("meet", "meet meets meeting meetings met summit")
_synonyms("turkey", "turkey turkish türkiye istanbul ankara erdogan erdoğan fidan")
_synonyms("saudi", "saudi saudis")
_synonyms("qatar", "qatar qatari doha")
_synonyms("uae", "uae emirati emirates dhabi")
_synonyms("switzerland", "switzerland swiss geneva")
_synonyms("belarus", "belarus belarusian minsk gomel")
_synonyms("china", "china chinese beijing")
_synonyms("vatican", "vatican pope holy")
_synonyms("alaska", "alaska anchorage alaskan")
_synonyms("child", "child children kids")
_synonyms("grain", "grain grains")
_synonyms("energy", "energy power")
_synonyms("guarantee", "guarantee guarantees security-guarantee")
_synonyms("announce", "announce announces announced declare declares declared unveil unveils")
_synonyms("support", "back backs backed support supports supported endorse endorses endorsed")
_synonyms(
    "study",
    "study studying studies consider considers considering analyze analyse "
    "analyzing analysing weigh weighs weighing review reviewing examine examining",
)
_synonyms(
    "return",
    "return returns returned release released releases free freed frees "
    "repatriate repatriated repatriation homecoming",
)
_synonyms(
    "halt",
    "halt halts halted pause paused pauses stop stops stopped moratorium "
    "suspend suspends suspended",
)
_synonyms("strike", "strike strikes attack attacks attacked hitting hit")
_synonyms("30", "month month-long monthlong")
_synonyms("soldier", "soldier soldiers serviceman servicemen troops defender defenders fighters")
_synonyms("wounded", "wounded injured")
_synonyms("memorandum", "memorandum memoranda memo")

ACTORS: dict[str, str] = {
    "ukraine": "ukraine",
    "russia": "russia",
    "us": "us",
    "turkey": "turkey",
    "saudi": "saudi",
    "qatar": "qatar",
    "uae": "uae",
    "china": "china",
    "vatican": "vatican",
}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if word in _SYNONYMS:
        return _SYNONYMS[word]
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return _SYNONYMS.get(word, word)


_MONTH = (
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"(?:uary|ruary|ch|il|e|y|ust|t|tember|ober|ember)?\b\.?"
)
DATES = re.compile(
    rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?![.,]\d)|"
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}"
)
"""A calendar date ("March 18", "18th of March", "Dec. 2"); month and day are joined into
one token ("mar18"), which `news.event_days` reads back."""
CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}\s*[ap]\.?m\b")


def _date_token(match: re.Match[str]) -> str:
    month = match.group(1) or match.group(4)
    day = match.group(2) or match.group(3)
    return f" {month}{int(day)} "


def number(raw: str) -> str:
    return raw.replace(",", "").rstrip(".")


def content_tokens(text: str) -> frozenset[str]:
    """The distinct content tokens of a text, synonyms folded and stop words dropped (a quick
    version of the features' tokens: dates are not joined into one token)."""
    found = set()
    for raw in TOKEN.findall(text.lower()):
        token = number(raw) if raw[0].isdigit() else stem(raw)
        if token not in STOP and len(token) > 1:
            found.add(token)
    return frozenset(found)


_ORDINAL_WORDS = "first second third fourth fifth sixth seventh eighth ninth tenth"
_ORDINALS = {word: f"round{n}" for n, word in enumerate(_ORDINAL_WORDS.split(), start=1)}
_ROUND = re.compile(
    rf"\b({'|'.join(_ORDINALS)}|\d{{1,2}}(?:st|nd|rd|th))"
    r"\s+(?:[a-z-]+\s+)?(?:round|stage|phase)\b"
)


def _round_token(match: re.Match[str]) -> str:
    word = match.group(1)
    return f" {_ORDINALS.get(word) or 'round' + word[:-2]} "


def mark_rounds(lowered: str) -> str:
    """A numbered round, stage or phase as one token ("second round", "2nd stage" -> round2):
    the rounds of a process are different developments."""
    return (
        _ROUND.sub(_round_token, lowered)
        if "round" in lowered or "stage" in lowered or "phase" in lowered
        else lowered
    )


_UNITS = {
    word: value
    for value, word in enumerate(
        (
            *("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
            *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
            *("eighteen", "nineteen"),
        ),
        start=1,
    )
}
_TENS = {
    word: 10 * value
    for value, word in enumerate(
        ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), start=2
    )
}
_SCALES = {"hundred": 100, "thousand": 1000}
_NUMBER_WORD = "|".join([*_UNITS, *_TENS, *_SCALES])
_SPELLED = re.compile(
    rf"\b(?:{_NUMBER_WORD})(?:(?:[\s-]+and)?[\s-]+(?:{_NUMBER_WORD}))*\b(?![-\w])"
)
"""A number written in words ("two hundred and fifteen", "thirty-six"); not "twenty-first"."""


def _below_hundred(words: list[str]) -> int | None:
    """1-99 from "seven", "fifteen", "forty", "forty six"; None for anything else."""
    if len(words) == 1:
        return _UNITS.get(words[0]) or _TENS.get(words[0])
    if len(words) == 2 and words[0] in _TENS and _UNITS.get(words[1], 10) < 10:
        return _TENS[words[0]] + _UNITS[words[1]]
    return None


def _spelled_value(words: list[str]) -> int | None:
    """The value of a well-formed English count below a million ("two hundred and fifteen",
    "one thousand two hundred"); None when the words are not one number ("twenty twenty-five",
    "nine eleven", "fifty fifty")."""
    total = 0
    if "thousand" in words:
        cut = words.index("thousand")
        head = _spelled_value(words[:cut]) if cut else 1
        if head is None or head >= 1000 or "thousand" in words[cut + 1 :]:
            return None
        total, words = head * 1000, words[cut + 1 :]
        if not words:
            return total
    if "hundred" in words:
        cut = words.index("hundred")
        head = _below_hundred(words[:cut]) if cut else 1
        if head is None or head > 9 or "hundred" in words[cut + 1 :]:
            return None
        total, words = total + head * 100, words[cut + 1 :]
        if not words:
            return total
    rest = _below_hundred(words)
    return None if rest is None else total + rest


def _digits(match: re.Match[str]) -> str:
    """Ten or more written in words as digits ("five hundred" -> "500"): reports of one swap
    write its size both ways. Smaller counts ("four hours", "two sides") and words that are not
    one number stay words."""
    words = [w for w in re.split(r"[\s-]+", match.group()) if w != "and"]
    value = _spelled_value(words)
    return str(value) if value is not None and value >= 10 else match.group()


def word_tokens(text: str) -> list[str]:
    found: list[str] = []
    lowered = CLOCK.sub(" ", text.lower().replace("’", "'").replace("'s ", " "))
    lowered = _SPELLED.sub(_digits, lowered)
    lowered = mark_rounds(lowered)
    lowered = DATES.sub(_date_token, lowered)
    for raw in TOKEN.findall(lowered):
        if raw[0].isdigit():
            found.append(number(raw))
        elif raw not in STOP and len(raw) > 1:
            token = stem(raw)
            if token not in STOP:
                found.append(token)
    return found


VENUES = _words(
    """istanbul antalya ankara geneva riyadh jeddah dhabi doha minsk gomel anchorage alaska
    miami budapest vatican paris london berlin rome helsinki vienna"""
)
"""Neutral places where talks are held (not the two sides' capitals, which name the sides)."""


def venues_of(title: str) -> frozenset[str]:
    """The talks venues a title names, one per place however written ("Anchorage", "Alaska"):
    two meetings in different places are two facts."""
    lowered = title.lower()
    return frozenset(stem(word) for word in TOKEN.findall(lowered) if word in VENUES)


NAME = re.compile(r"(?<![.!?\u201c\"]\s)(?<!^)\b[A-Z][a-z\u00e0-\u024f]+(?:-[A-Z][a-z]+)?")
PEOPLE: dict[str, str] = {}
for _side, _words_of_side in (
    ("russia", "putin peskov lavrov medinsky ushakov zakharova dmitriev karasin kremlin moscow"),
    ("ukraine", "zelensky zelenskyy zelenskiy zelenskii yermak umerov sybiha kyiv kiev"),
    ("us", "trump witkoff rubio vance kellogg washington"),
    ("turkey", "erdogan erdoğan fidan ankara"),
    ("europe", "europe european europeans eu macron merz starmer tusk allies coalition"),
    ("switzerland", "switzerland swiss"),
):
    for _word in _words_of_side.split():
        PEOPLE[_word] = _side


NUMBER = re.compile(r"\b\d+(?:[.,]\d+)*")


_MONTH_BEFORE = re.compile(rf"\b{_MONTH}\s+$")
_MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}")
_CLOCK_AFTER = re.compile(r"[:.]\d{2}\b|\s*[ap]\.?m\b")


def body_numbers(body: str) -> list[str]:
    """The numbers of a body, one token per mention (dates and clock times left out). Found
    digits first, then their neighbours read: quicker than rewriting the whole body."""
    plain = body.lower()
    found: list[str] = []
    skip_to = 0
    for match in NUMBER.finditer(plain):
        start, end = match.span()
        if start < skip_to:
            continue
        if end - start <= 5:  # a day of the month or a clock time is short
            clock = _clock_end(plain, match)
            if clock:
                skip_to = clock
                continue
            if end - start <= 2 and (
                _MONTH_BEFORE.search(plain, max(0, start - 11), start)
                or _MONTH_AFTER.match(plain, end, end + 16)
            ):
                continue
        found.append(number(match.group()))
    return found


def _clock_end(plain: str, match: re.Match[str]) -> int:
    """Where a clock time starting at this number ends ("18:00", "6 p.m."), else 0."""
    found = CLOCK.match(plain, match.start())
    return found.end() if found else 0
