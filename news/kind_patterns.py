"""The patterns `news.kinds` reads a headline and lead with: verbs (what someone did), nouns
(what the story is about) and special phrases that decide before them. Data only; the order of
each table matters (the first listed wins a tie at the same position).
"""

from __future__ import annotations

import re

from news.records import Kind

_I = re.IGNORECASE

_EXCHANGE_OBJECT = (
    r"(?:prisoners?|pows?|captives?|detainees?|soldiers?|servicem[ae]n|bodies|bodys|remains|"
    r"civilians?|children|defenders?|fighters?|troops|hostages?|people)"
)
VERBS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (
        "rejection",
        re.compile(
            r"\b(?:reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|refus(?:es|ed|ing)|rebuff(?:s|ed)?|"
            r"rules? out|ruled out|turn(?:s|ed)? down|spurn(?:s|ed)?|snub(?:s|bed)?|"
            r"balks? at|deni(?:es|ed)|says? no\b|won'?t (?:accept|agree)|"
            r"(?:is|as|calls? it|called it) (?:unacceptable|a non-?starter)|non-?starter|"
            r"unacceptable|walk(?:s|ed)? out|pull(?:s|ed)? out of|withdraw(?:s|n)? from|"
            r"suspend(?:s|ed)? (?:the )?(?:talks|participation)|quits?\b|"
            r"(?:will not|would not|does not|do not|cannot|can'?t) accept|not on the table|"
            r"off the table|(?:is|as|calls? (?:it|this)|called (?:it|this)) an ultimatum|"
            r"says? nyet|cool on (?:\w+ ){0,3}?(?:offer|proposal|plan|idea|venue|summit|truce|"
            r"ceasefire)|"
            r"cold water on|will not give (?:up|away)|won'?t give (?:up|away))",
            _I,
        ),
    ),
    (
        "exchange",
        re.compile(
            rf"\b(?:(?:swap(?:ped|s)?|exchang(?:ed|es)|trad(?:ed|es)|return(?:ed|s)?|"
            rf"repatriat(?:ed|es)|hand(?:ed|s)? (?:over|back)|receiv(?:ed|es)|releas(?:ed|es)|"
            rf"fre(?:ed|es))\b"
            rf"(?:\s+\S+){{0,4}}?\s+{_EXCHANGE_OBJECT}|"
            rf"{_EXCHANGE_OBJECT}(?:\s+\S+){{0,3}}?\s+(?:were |are |have been )?"
            rf"(?:swapped|exchanged|returned|repatriated|freed|released|come home|came home|"
            rf"back home|handed over)|carr(?:y|ies|ied) out (?:an? |the )?(?:\w+ )?"
            rf"(?:exchange|swap)|(?:exchange|swap) (?:took place|completed|carried out))",
            _I,
        ),
    ),
    (
        "agreement",
        re.compile(
            r"\b(?:agree(?:s|d)?\b|sign(?:s|ed)?\b|reach(?:es|ed)? (?:an? |the )?"
            r"(?:\w+ )?(?:deal|agreement|accord|truce|ceasefire|deal)|strike(?:s)? (?:a )?deal|"
            r"struck (?:a )?deal|seal(?:s|ed)?\b|clinch(?:es|ed)?|extend(?:s|ed)? (?:the )?"
            r"(?:\w+ )?(?:deal|truce|ceasefire|agreement)|renew(?:s|ed)?\b|"
            r"(?:deal|agreement|truce|ceasefire) (?:is |was )?(?:reached|agreed|signed|struck))",
            _I,
        ),
    ),
    (
        "proposal",
        re.compile(
            r"\b(?:propos(?:es|ed|ing)|offer(?:s|ed|ing)?\b|suggest(?:s|ed)?|"
            r"put(?:s)? forward|puts? (?:out|up)|present(?:s|ed)? (?:a |the |its |his |her )?"
            r"(?:\w+ )?(?:plan|proposal|framework|memorandum|draft)|"
            r"unveil(?:s|ed)?|table(?:s|d)\b|floats?\b|floated|call(?:s|ed)? for|urg(?:es|ed)|"
            r"invit(?:es|ed)|submit(?:s|ted)?|hand(?:s|ed)? (?:over )?(?:a |its |the )?"
            r"(?:\w+ )?(?:plan|proposal|memorandum)|"
            r"(?<!not )(?<!n't )ready (?:to (?:meet|talk|negotiate|hold|host|bring)|"
            r"for (?:a |an |the )?(?:\w+ )?(?:truce|ceasefire|talks|summit|meeting))|"
            r"open to (?:talks|negotiations))",
            _I,
        ),
    ),
    (
        "meeting",
        re.compile(
            r"\b(?:meet(?:s|ing)?\b|met\b|h[eo]ld(?:s)? (?:\w+ ){0,3}?(?:talks|meeting|round|"
            r"negotiations|summit|call|consultations)|talks? (?:in|with|on|between|at)\b|"
            r"sit(?:s)? down|sat down|gather(?:s|ed)?|convene(?:s|d)?|arriv(?:es|ed|ing)|"
            r"hosts?\b|hosted\b|hosting\b|receiv(?:es|ed)\b|"
            r"land(?:s|ed)? in|visit(?:s|ed)?|negotiat(?:e|es|ed|ing)\b|"
            r"(?:talks|round|meeting|summit) (?:begin|began|begins|open|opens|opened|"
            r"start|starts|started|end|ends|ended|resume|resumes|resumed|conclude|concluded|"
            r"continue|continues|continued)|spoke (?:by phone )?with|phone call|"
            r"(?:first|second|third|fourth|fifth|new|next) round|day (?:one|two|\d) of)",
            _I,
        ),
    ),
    (
        "statement",
        re.compile(
            r"\b(?:studying|study(?:ing)?|consider(?:s|ing|ed)?|weigh(?:s|ing)?|review(?:s|ing)|"
            r"says?|said|warn(?:s|ed)?|insist(?:s|ed)?|clai(?:m|ms|med)|accus(?:es|ed)|"
            r"hop(?:es|ed|eful)|expect(?:s|ed)?|believe(?:s|d)?|tell(?:s)?|told|"
            r"confirm(?:s|ed)?|not(?:es|ed)|stress(?:es|ed)|comment(?:s|ed)?|respond(?:s|ed)|"
            r"react(?:s|ed)|welcom(?:es|ed)|criticis(?:es|ed)|criticiz(?:es|ed)|skeptical|"
            r"sceptical|open to|doubt(?:s|ed)?|signal(?:s|ed|led)?|mulls?|mulling|ponders?|"
            r"non-?committal|neither yes nor no)\b",
            _I,
        ),
    ),
)

REJECTS = VERBS[0][1]
"""The rejection verbs: a refusal in the title outranks every special below."""

NOUNS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (
        "exchange",
        re.compile(
            r"\b(?:swap|exchange|repatriation|homecoming|prisoner release)\b",
            _I,
        ),
    ),
    (
        "agreement",
        re.compile(r"\b(?:deal|agreement|accord|memorandum of understanding|moratorium)\b", _I),
    ),
    (
        "proposal",
        re.compile(
            r"\b(?:proposal|offer|peace plan|plan|initiative|framework|roadmap|memorandum|"
            r"draft|overture)\b",
            _I,
        ),
    ),
    (
        "meeting",
        re.compile(
            r"\b(?:talks|round|meeting|summit|negotiations|delegations?|envoys?|visit|"
            r"consultations)\b",
            _I,
        ),
    ),
    ("rejection", re.compile(r"\b(?:rejection|refusal|no deal)\b", _I)),
)


SPECIAL: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (
        "agreement",
        re.compile(
            r"\b(?:grain|shipping|navigation|maritime|merchant ships?|corridor)\b.{0,60}"
            r"\b(?:agree[sd]?|signed|extended|renewed|rolled over|reached|clinched)\b|"
            r"\b(?:agree[sd]?|sign[sed]*|extend[sed]*|renew[sed]*|roll(?:s|ed)? over|"
            r"reach(?:es|ed)?|clinch(?:es|ed)?)\b.{0,60}\b(?:grain|shipping|navigation|maritime|"
            r"merchant ships?|corridor)\b|"
            r"security guarantees?\b.{0,40}\b(?:pact|agreed|agreement|document|text|signed)|"
            r"\b(?:agree|finali[sz]e|sign)\w*\b.{0,30}\bsecurity guarantees?",
            _I,
        ),
    ),
    (
        "other",
        re.compile(
            r"\b(?:children|kids)\b.{0,40}\b(?:return|returned|brought back|reunited|home)|"
            r"\breturn(?:ed|s)? of (?:\w+ ){0,2}(?:children|kids)\b|"
            r"\b(?:return(?:ed|s)?|handover of|hand(?:s|ed)? over)\b.{0,30}\b(?:children|kids)\b|"
            r"\b(?:reassurance|multinational|peacekeeping|stabili[sz]ation) (?:force|mission)|"
            r"coalition of the willing|post-?war (?:force|troops)|"
            r"forces? after (?:the )?(?:war|ceasefire)|troops?-backed|"
            r"\b(?:to head|will head|to lead|names?|named|appoints?|appointed)\b.{0,50}"
            r"\b(?:delegation|negotiator|negotiating team|talks team|team)\b|"
            r"\b(?:delegation|negotiator)s? (?:named|appointed|announced)|"
            r"\b(?:delegation|team)\b.{0,40}\b(?:to be|will be) (?:led|headed) by\b|"
            r"\b(?:to send|will send|sends)\b.{0,40}\b(?:officers|officials|delegation|team|"
            r"negotiators|envoys?)\b",
            _I,
        ),
    ),
    (
        "exchange",
        re.compile(
            r"\b(?:return(?:ed|s)? home|come home|came home|back home|home from captivity|"
            r"(?:first|second|third|next|latest) (?:stage|phase|round|part) of (?:the )?"
            r"(?:[\w,-]+ ){0,3}(?:exchange|swap)|(?:carry|carries|carried) out (?:the )?"
            r"(?:\w+ ){0,3}(?:exchange|swap)|begin (?:the )?(?:\w+ ){0,2}(?:exchange|swap)|"
            r"(?:exchange|swap) (?:of )?(?:\w+ ){0,3}(?:begins|began|starts|completed))",
            _I,
        ),
    ),
    (
        "meeting",
        re.compile(
            r"\bagree(?:s|d)? (?:to |on )?(?:\w+ ){0,5}(?:swap|exchange)\b.{0,40}\btalks\b|"
            r"\b(?:talks|round|meeting)\b.{0,40}\b(?:useful|productive|constructive|"
            r"intensive|ended|end|ends|concluded)\b|\bswap agreed\b",
            _I,
        ),
    ),
    (
        "proposal",
        re.compile(
            r"\b(?:declares?|declared|announces?|announced|orders?|ordered|proclaims?)\b"
            r"(?:[\s\w'‘’,-]){0,40}\b(?:ceasefire|truce|cease-fire|pause|halt to (?:hostilities|"
            r"fighting|strikes))\b|"
            r"\b(?:presents?|presented|receives?|received|hands?|handed|delivers?|sends?)\b"
            r"(?:[\s\w'’-]){0,40}\b(?:peace plan|plan|framework|memorandum|proposal)\b",
            _I,
        ),
    ),
    (
        "rejection",
        re.compile(
            r"\b(?:does not|doesn'?t|do not|won'?t) (?:suit|work for)|not constructive|"
            r"\bunacceptable\b",
            _I,
        ),
    ),
    (
        "agreement",
        re.compile(r"\bagree(?:s|d)? to meet\b|\bfinali[sz]e[sd]?\b", _I),
    ),
)
