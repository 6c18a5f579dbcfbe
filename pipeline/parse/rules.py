"""The parser's heuristics as data: named pattern tables, each rule saying what it catches.

Nothing here runs on its own; `parse` walks these tables in order. To teach the
parser a new site's habits, add a row to the right table (and a fixture).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Cleaning text is the reader's job: the parser strips the same spaces the reader does.
from pipeline.read.source import CONTROL_CHARS as CONTROL_CHARS
from pipeline.read.source import EDGE_SPACE as EDGE_SPACE


@dataclass(frozen=True)
class Rule:
    """One named pattern; `note` says in a line what it catches."""

    name: str
    pattern: re.Pattern[str]
    note: str


def _rule(name: str, regex: str, note: str, flags: int = re.IGNORECASE) -> Rule:
    return Rule(name, re.compile(regex, flags), note)


# --- Photo credits -------------------------------------------------------------------------------
# Each pattern matches a credit at the END of a caption line; group `credit` is the credit alone and
# everything before the match is the caption. Order matters: the first that matches wins.
CREDIT_RULES: tuple[Rule, ...] = (
    _rule("paren-photo", r"\s*[(\[（]\s*(?:photo|photos|foto|fotos|image|picture|photograph|bild|crédit photo|crédit|credit|photo credit|写真|사진)\s*[:：=]\s*(?P<credit>[^()\[\]（）]+?)\s*[)\]）]\s*$",
          "a trailing `(Photo: X)`, `(Photo : X)`, `(Foto: X)`, `(Image: X)`, `[Credit: X]`"),
    _rule("paren-agency-photo", r"\s*\(\s*(?P<credit>(?:AP|AFP|Reuters|EPA|Getty Images|Getty|Xinhua|Kyodo|Yonhap|dpa|ANP|PA|Bloomberg|NurPhoto|SOPA)[^()]*?(?:Photo|Images|Foto)[^()]*?)\s*\)\s*$",
          "a trailing `(AP Photo/Name)` or `(Reuters Photo)`: the agency is part of the credit"),
    _rule("paren-agency", r"\s*\(\s*(?P<credit>[^()]{0,80}\b(?:AP|AFP|Reuters|Getty Images|Getty|EPA|EPA-EFE|Bloomberg|Shutterstock|Alamy|iStock|iStockphoto|Unsplash|Xinhua|Kyodo|Yonhap|dpa|picture alliance|NurPhoto|SOPA Images|ANP|Keystone|Imago|Pexels|Wikimedia Commons)\b[^()]{0,40})\s*\)\s*$",
          "a trailing `(J. Scott Applewhite/AP)` or `(Jane Roe via Getty Images)`: a credit naming a photo agency", re.UNICODE),
    _rule("paren-by", r"\s*\(\s*(?:photo|photograph|image|picture)\s+by\s+(?P<credit>[^()]+?)\s*\)\s*$",
          "a trailing `(Photo by X)`"),
    _rule("paren-courtesy", r"\s*\(\s*(?P<credit>courtesy\s+(?:of\s+)?[^()]+?)\s*\)\s*$", "a trailing `(Courtesy of X)`"),
    _rule("paren-copyright", r"\s*\(\s*©\s*(?P<credit>[^()]+?)\s*\)\s*$", "a trailing `(© X)`"),
    _rule("photo-by", r"(?:^|(?<=[\s.]))(?:photo|photograph|image|picture|foto|illustration|graphic|video)\s+(?:by|von|de|par|di|por)\s+(?P<credit>[^()]+?)\.?\s*$",
          "a trailing sentence `Photo by X`"),
    _rule("label-credit", r"(?:^|(?<=[\s.|]))(?:photo|photos|photograph|photography|illustration|foto|fotos|image|credit|photo credit|image credit|bild|crédit|crédit photo|写真|사진)\s*[:：]\s*(?P<credit>[^:：]+?)\.?\s*$",
          "a trailing `Photo: X`, `Image: X`, `Credit: X/Reuters`, `Foto: X`"),
    _rule("copyright", r"(?:^|(?<=[\s.|]))©\s*(?P<credit>[^©]+?)\.?\s*$", "a trailing `© X`"),
)

# The longest line that can still be a caption; longer lines ending like a credit are prose.
CAPTION_MAX_CHARS = 500

# --- Bylines -------------------------------------------------------------------------------------
# Group `names` holds one or more names, perhaps with a role after a comma or a bar.
BYLINE_RULES: tuple[Rule, ...] = (
    _rule("by", r"^(?:(?:written|words|text|reporting|story|interview|interviewed|compiled|edited)\s+)?by\s*:?\s+(?P<names>\S.*)$", "`By A`, `Written by A`, `Interview by A`, `By: A`"),
    _rule("author-label", r"^(?:author|authors|auteur|autor|autore|autorin|auteurs|автор)\s*[:：]\s*(?P<names>\S.*)$", "`Author: A`"),
    _rule("par", r"^par\s+(?P<names>\S.*)$", "French `Par A`"),
    _rule("von", r"^von\s+(?P<names>\S.*)$", "German `Von A`"),
    _rule("por", r"^por\s+(?P<names>\S.*)$", "Spanish or Portuguese `Por A`"),
    _rule("di", r"^di\s+(?P<names>\S.*)$", "Italian `Di A`"),
    _rule("door", r"^door\s+(?P<names>\S.*)$", "Dutch `Door A`"),
    _rule("cjk", r"^(?:文|記者|撰文|作者|著者|筆者|글|기자)\s*[：:=]\s*(?P<names>\S.*)$", "Chinese, Japanese, Korean `文：A`"),
    _rule("cjk-suffix", r"^(?P<names>\S{2,12})\s*(?:記者|기자|特派員|特派员)$", "a name followed by `記者` or `기자` (reporter)"),
    _rule("arabic", r"^(?:بقلم|كتب|كتبه|بواسطة)\s*[:：]?\s*(?P<names>\S.*)$", "Arabic `بقلم A`"),
    _rule("hebrew", r"^(?:מאת|כתב|כתבה)\s*[:：]?\s*(?P<names>\S.*)$", "Hebrew `מאת A`"),
)

# Separators between several names in one byline: `A and B`, `A, B and C`, `A & B`, `A et B`, `A und B`.
NAME_SEPARATORS = re.compile(r"\s*(?:,|;|&|\band\b|\bet\b|\bund\b|\by\b|\be\b|\ben\b|、|，|و\s)\s*", re.IGNORECASE)

# A byline segment that names a job or an employer rather than a person: `Special Correspondent`, `Reuters`.
ROLE_WORDS = re.compile(
    r"\b(?:correspondents?|writers?|editors?|reporters?|columnist|contributor|contributing|staff|fellow|professor|"
    r"director|analyst|researcher|journalist|chief|bureau|senior|associate|special|guest|photographer|"
    r"rédact\w*|korrespondent\w*|redakt\w*|envoyé\w*|corresponsal|redactor\w*|reuters|associated press|"
    r"afp|ap|dpa|bloomberg|kyodo|xinhua|yonhap|ansa|efe)\b",
    re.IGNORECASE,
)

# Contact details some bylines carry: an e-mail address or a social-media handle after the name.
BYLINE_CONTACT = re.compile(r"\s*(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w{2,30})\s*$")

# A place after a name in a byline: `By Ann Lee in Tokyo`, `Von Hans Meier aus Berlin`.
BYLINE_PLACE = re.compile(r"\s+(?:in|from|aus|in|à|en|a|em|da)\s+(?P<place>[A-ZÀ-Ý][\w'’.-]+(?:\s+[A-ZÀ-Ý][\w'’.-]+){0,2})$")

# A line that is only a personal name: two to four capitalised words (`Ann Lee`, `Jean-Luc de la Rue`).
PERSON_NAME = re.compile(r"^[A-ZÀ-Ý][\w'’.-]+(?:\s+(?:(?:van|von|de|der|den|da|di|du|la|le|del|dos|bin|al)\s+)?[A-ZÀ-Ý][\w'’.-]*){1,3}$")

# A leading label some sites put before a caption: `Image: The telescope …`, `Caption: …`.
CAPTION_LABEL = re.compile(r"^(?:image|photo|picture|caption|foto|bild|légende)\s*[:：]\s*", re.IGNORECASE)

# Explicit role separators: `By A | Staff Writer`, `By A — Staff Writer`.
ROLE_SEPARATOR = re.compile(r"\s+[|–—·•]\s+")

# --- Site leftovers ------------------------------------------------------------------------------
_NETWORKS = (r"facebook|twitter|x|linkedin|email|e-mail|mail|print|whatsapp|reddit|pinterest|telegram|tumblr|"
             r"pocket|copy link|copy|flipboard|messenger|threads|bluesky|mastodon|sms|share|tweet|pin|save|xing")

# A line matching one of these is dropped wherever it stands.
BOILERPLATE_LINES: tuple[Rule, ...] = (
    _rule("comment-count", r"^(?:\d+\s+)?(?:comments?|responses?|replies|kommentare?|commentaires?|comentarios?|commenti|reacties)\s*(?:\(\d+\)|:\s*\d+)?$|^\d+\s+(?:comments?|responses?)$", "a bare comment counter such as `0 comments` or `Comments (3)`"),
    _rule("email-notice", r"^your email address will not be published\b", "the comment form's e-mail notice"),
    _rule("required-fields", r"^required fields are marked", "the comment form's required-fields notice"),
    _rule("comments-closed", r"^(?:comments are closed|comments? (?:are|is) (?:now )?(?:closed|disabled))\.?$", "`Comments are closed.`"),
    _rule("share", r"^(?:share|share this|share this (?:article|story|post)|share on|teilen|artikel teilen|partager|partager cet article|compartir|condividi|delen)\s*:?$", "a `Share this:` label"),
    _rule("like", r"^(?:like this|like|loading\.*|like loading\.*)\s*:?$", "WordPress's `Like this:` and `Loading...`"),
    _rule("advert", r"^(?:advertisement|advertising|ad|anzeige|publicité|publicidad|pubblicità|werbung|sponsored|sponsored content|paid content|story continues below(?: this)? advertisement|article continues below(?: advertisement)?|continue reading below|scroll to continue(?: with content)?)\s*$", "an advertisement marker"),
    _rule("read-more", r"^(?:read more|read also|see also|also read|also see|related|recommended|lesen sie auch|lesen sie mehr|mehr zum thema|lire aussi|à lire aussi|lire également|voir aussi|lee también|leer más|leggi anche|lees ook)\s*[:：>»]\s*\S", "a `Read more: …` teaser naming another article"),
    _rule("network-row", rf"^(?:(?:{_NETWORKS})[\s,|·•/]*){{2,}}$", "a row of share-button network names"),
    _rule("share-on", rf"^(?:share|post|send)\s+(?:on|to|via)\s+(?:{_NETWORKS})$", "a single `Share on Facebook` button"),
    _rule("click-share", r"^click to (?:share|email|print)\b", "WordPress's `Click to share on …` buttons"),
    _rule("newsletter", r"^(?:sign up|subscribe|register)\b.{0,120}\b(?:newsletter|inbox|updates|e-?mails?)\b|^(?:get|receive) (?:our|the) .{0,60}newsletter|newsletter\s*$|^(?:abonnez-vous|inscrivez-vous|abonnieren sie|melden sie sich)\b.{0,120}(?:newsletter|lettre)", "a newsletter sign-up blurb"),
    _rule("cookies", r"\b(?:we|this (?:web)?site) uses? cookies\b|^(?:accept|reject|manage) (?:all )?cookies\b|\bcookie (?:policy|settings|preferences)\b|\bnous utilisons des cookies\b|\bwir verwenden cookies\b", "a cookie notice"),
    _rule("contact", r"^(?:@\w{2,30}|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)$", "an author's handle or e-mail address on its own line"),
    _rule("relative-date", r"^(?:(?:published|updated|posted|last updated)\s*:?\s*)?(?:\d+|an?|one)\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?)\s+ago$", "a relative time stamp such as `Published 2 days ago`"),
    _rule("button", r"^(?:tweet|email|e-mail|print|facebook|twitter|linkedin|whatsapp|reddit|pinterest|telegram|copy link|copy url|comment|save article|save for later|gift(?: this)? article|share (?:this )?(?:article|story)|follow us on .{1,30}|follow .{1,30} on (?:twitter|facebook|instagram|x))\s*$", "a lone share or follow button: `Tweet`, `Email`, `Follow us on Twitter`"),
    _rule("subscribe", r"^(?:subscribe|subscribe now|sign in|log in|login|register|sign up|menu|search|home|skip to (?:main )?content|jump to content|toggle navigation|open menu|close|back to top|print this (?:page|article)|listen to (?:this )?article|listen|save|bookmark|follow us|follow)\s*\.?$", "a site button: `Subscribe`, `Sign in`, `Menu`, `Skip to content`"),
    _rule("reading-time", r"^(?:\d+\s*(?:min(?:ute)?s?|mins?)\.?\s+(?:read|de lecture|lesezeit|lectura|di lettura))$|^(?:reading time|lesezeit|temps de lecture)\s*:?\s*\d+\s*min", "a reading-time note"),
    _rule("nav-row", r"^(?:[^|›»>]{1,25}\s*[|›»>]\s*){2,}[^|›»>]{1,25}$", "a navigation row or breadcrumb: `Home | News | World`, `Home › Opinion › Asia`"),
    _rule("image-placeholder", r"^(?:\[?(?:image|photo|video|embed|graphic)\]?|enlarge this image|view image in fullscreen|expand|play video|watch:?\s.*video)$", "an image or video placeholder left by copying"),
    _rule("rights-footer", r"^(?:all rights reserved\.?|©\s*\d{4}[^.]{0,80}all rights reserved\.?)$", "the site's copyright footer"),
    _rule("back-link", r"^(?:back to|return to) (?:top|home|the homepage)\.?$", "a `Back to top` link"),
)

# A heading that introduces a block of site links (`Related Articles`, `More from …`): it and the short lines
# after it (headline-like link texts) are dropped, up to the next real paragraph.
LINK_SECTION_MARKERS: tuple[Rule, ...] = (
    _rule("related", r"^(?:related(?: articles| stories| posts| content| coverage| reading| links)?|more (?:from|on|in|stories|articles)\b.*|you (?:may|might) also (?:like|be interested in)|recommended(?: for you| articles| stories)?|most (?:read|popular|viewed)|trending(?: now)?|top stories|popular (?:posts|stories)|read next|what to read next|further reading|ähnliche artikel|mehr zum thema|das könnte sie auch interessieren|meistgelesen|articles similaires|à lire aussi|sur le même sujet|les plus lus|artículos relacionados|noticias relacionadas|te puede interesar|articoli correlati|potrebbe interessarti|gerelateerde artikelen|関連記事|相关文章|相關新聞|관련기사)\s*:?$",
          "a `Related Articles` (or `More from …`, `Ähnliche Artikel`, `関連記事`) box and its links"),
)

# A line matching one of these starts the site's trailing matter: it and everything after it go.
TAIL_MARKERS: tuple[Rule, ...] = (
    _rule("comment-form", r"^(?:leave a (?:reply|comment)|post a comment|add a comment|join the (?:conversation|discussion)|write a comment|laisser un commentaire|kommentar (?:schreiben|verfassen)|deja un comentario|lascia un commento)\b", "a comment form: `Leave a Reply`, `Join the conversation`"),
    _rule("comment-section", r"^(?:\d+\s+)?(?:comments|responses|kommentare|commentaires)\s*(?:\(\d+\))?$", "a `Comments` section header"),
    _rule("about-author", r"^(?:about the authors?|about the writer|à propos de l'auteur|über den autor|über die autorin)\s*:?$", "an `About the author` box"),
)

# `Tags: a, b, c` and the like: the keywords go into the metadata, the line out of the text.
KEYWORD_LINE = _rule("tags", r"^(?:posted in\s.{1,60}?\s*[|·•]\s*)?(?:(?:tags|tagged|topics|keywords|filed under|schlagwörter|schlagworte|themen|mots-clés|mots clés|sujets|etiquetas|temas|argomenti|tag|trefwoorden|タグ|标签|태그)\s*[:：]|tagged(?: with)?\s)\s*(?P<keywords>\S.*)$",
                     "a `Tags: a, b, c` line, or WordPress's `Posted in X | Tagged a, b`: keywords for the metadata")
KEYWORD_SEPARATORS = re.compile(r"\s*(?:,|;|\||·|•|#|、|，)\s*")

# The article's own copyright line (`© 2019 Example Press`): kept as the rights statement, not as text.
RIGHTS_LINE = _rule("rights", r"^(?:©|\(c\)|copyright\s*©?)\s*(?P<rights>(?:19|20)\d{2}\b.{0,150})$", "a `© 2019 Publisher` line")

# --- Dates ---------------------------------------------------------------------------------------
# Words that may stand beside a date on a date line without making it prose.
DATE_LINE_FILLER = re.compile(
    r"(?:\b(?:posted|published|updated|last updated|modified|first published|originally published|on|at|am|pm|a\.m\.|p\.m\.|"
    r"uhr|le|à|publié|mis à jour|modifié|veröffentlicht|aktualisiert|zuletzt|stand|am|um|de|del|el|a las|publicado|"
    r"actualizado|il|alle|pubblicato|aggiornato|op|om|gepubliceerd|bijgewerkt|date|dated|datum|fecha|data|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo|"
    r"JST|KST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|ET|PT|GMT|UTC|BST|CET|CEST|MEZ|MESZ|IST|AEST|AEDT|HKT|SGT)\b"
    r"|\d+\s+(?:comments?|responses?|kommentare?|commentaires?)|\d{1,2}[:.h]\d{2}(?::\d{2})?|[+-]\d{2}:?\d{2}\b"
    r"|[|•·,\-–—:/()\[\]\s\u00a0\u3000：（）]|[年月日時分秒]|更新|公開|掲載|发布|發布|更新日|公開日|입력|수정|작성|"
    r"[0-9]+\s*(?:min|minutes?)\s+read|\b\d{1,2}\s*(?:am|pm)\b)",
    re.IGNORECASE,
)

# Words that mark the date after them as the update rather than the publication.
UPDATE_MARKER = re.compile(r"(?:updated|modified|mis à jour|modifié|aktualisiert|actualizado|aggiornato|bijgewerkt|更新|수정)", re.IGNORECASE)

# --- Body structure ------------------------------------------------------------------------------
HEADING_MAX_CHARS = 90
HEADING_MAX_WORDS = 12

# A line that cannot be a heading however short it is.
NOT_HEADING: tuple[Rule, ...] = (
    _rule("interview", r"^(?:Q|A|F|R|P|Frage|Antwort|Question|Réponse|Pregunta|Respuesta|Domanda|Risposta|Vraag|Antwoord)\s*[:.：]|^(?![^:]*\d)[A-Z][\w.\- ]{0,30}:\s+\S.*\S$", "an interview's `Q: …` or a speaker's `Name: …` line"),
    _rule("sentence-end", r"[.,;…!。，；！]['\"’”»)]*$", "a line ending like a sentence (a period, comma, ellipsis)"),
    _rule("quoted", r"^[\"“„«‘'「『].*[\"”“»’'」』]$", "a one-line quotation"),
    _rule("url", r"^(?:https?://|www\.)", "a bare link"),
    _rule("dash-attribution", r"^[—–―-]\s*\S", "an attribution line `— Name`"),
    _rule("two-sentences", r"[a-z\u00df-\u00ff]{2}[.!?]\s+[A-Z(\"“‘]", "two sentences on one line", 0),
)

# Headings the notes section carries at the end of an article.
NOTES_HEADING = _rule("notes-heading", r"^(?:notes|footnotes|endnotes|references|sources|notes and references|anmerkungen|fußnoten|quellen|einzelnachweise|références|sources et notes|notas|referencias|fuentes|note|riferimenti|fonti|noten|bronnen|注|脚注|参考文献|각주|примечания)\s*:?$",
                      "the heading over the footnotes")
# A footnote: `[1] text`, `1. text` or `¹ text` under the notes heading.
NOTE_LINE = re.compile(r"^(?:\[(?P<b>\d{1,3})\]|(?P<n>\d{1,3})[.)]|(?P<s>[¹²³⁴⁵⁶⁷⁸⁹⁰]+)|\^(?P<c>\d{1,3}))\s*(?P<text>\S.*)$")
# A footnote marker in running text: `[1]` after a word or punctuation.
NOTE_MARKER = re.compile(r"(?<=[^\s\[])\[(?P<label>\d{1,3})\]")

# An attribution line under a quotation: `— Name`, `- Name, Title`.
ATTRIBUTION = re.compile(r"^[—–―-]{1,2}\s*(?P<who>\S.{0,150})$")
# A quotation line: text wholly inside quotation marks, perhaps followed by `— Name` on the same line.
QUOTE_LINE = re.compile(r"^(?P<open>[\"“„«「『])\s*(?P<text>.+?)\s*(?P<close>[\"”“»」』])(?:\s*[—–―]\s*(?P<who>\S.{0,150}))?$")
# Markdown-style quoting that some copy tools produce: `> text`.
QUOTE_PREFIX = re.compile(r"^>\s?(?P<text>.*)$")

# The fewest words of a body sentence that a pull quote repeats, and the most a pull quote has.
PULLQUOTE_MIN_WORDS = 6
PULLQUOTE_MAX_WORDS = 40
