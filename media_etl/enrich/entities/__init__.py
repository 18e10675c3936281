"""Find the people, organisations and places an article body names, and give each one a stable entity id.

The extractor is a rule-and-gazetteer one, tuned on agency wire copy. It reads capitalised
runs of words and decides what each run is, in this order:

1. **Titles split runs.** In ``MP Sevil Mikayilova`` or ``Communications Director Fahrettin
   Altun`` a title word (``media_etl/text/data/lexicon.yaml``: title_heads) ends the role and what
   follows is a person.
2. **Organisations by their head word.** A run ending in Agency, Ministry, Forum, Channel,
   Directorate, Başkanlığı, Təşkilatı, министерство … names an organisation. A bare head
   takes its complement (``Organization`` + ``of Turkic States``, ``Embassy`` + ``of Türkiye``,
   ``Administration`` + ``of the President of Uzbekistan``), but never a complement that is
   itself an organisation (``Media Forum`` | ``of the Organization of Turkic States``) or a
   place in the possessive (``Balapan Channel`` | ``of the Republic of Kazakhstan's …``).
   A head alone or with generic words only (``the Ministry``, ``Supervisory Board``) and a
   head after ``a``/``an`` (``a Media Center``) name nothing.
3. **Acronyms.** ``Long Name (ACR)`` defines ACR for the article when the initials match
   (``World Urban Forum (WUF13)``); every ACR then maps to the long form's entity. Acronyms
   in ``data/entity_names.yaml`` (OTS, UN, NATO, ТМД …) map to their organisation anywhere.
4. **Places** from the gazetteer (``gazetteer.find_place``), the longest match first
   (``Turkish Republic of Northern Cyprus``, ``Republic of Kazakhstan``), each part of a
   hyphenated pair (``Turkey-Azerbaijan cooperation``), and in Turkic copy a stem before a
   case ending (``Bakıda`` → ``Bakı``, ``Астанада`` → ``Астана``).
5. **People**: a run with a title before it, an apposition after it (``…, Director of …``),
   a speech verb after it, a known given name, a surname ending (-ov, -yeva, -zade, -oğlu,
   -ұлы …) or, in Cyrillic copy, capitalised words inside a sentence (Russian and Kazakh
   capitalise names only). Kazakh runs of several names are cut after each surname
   (``Асқар Мамин | Лондонда``). A one-word candidate that the article also writes in lower
   case is a common word (``Officials said``), not a name.
6. **Surname-only mentions** (``Altun said``, ``Hajiyev touted``, ``Тоқаевтың``) resolve to
   the person of the article whose surname has the same skeleton.

**Roles** are written as found: the title before the name, then the apposition after it,
joined by ``"; "`` when there are both (``MP; Member of the Supervisory Board of the Media
Development Agency, Vice President of …``). A title before the name stops at a possessive or
a nationality word, which is context, not role (``Turkey’s Communications Director`` →
``Communications Director``; ``Azerbaijani presidential aide`` → ``presidential aide``).
The role is on the mention where it is written, not copied to later mentions. Turkish,
Azerbaijani and Kazakh copy puts titles before names, so there a comma after a name is not
read as opening an apposition (``Erdoğan, Azerbaycan Cumhurbaşkanı Aliyev ile …``).

**Nationality words** (Azerbaijani, Turkish, Armenian) are not place mentions: they name no
place, and tagging them would make "Turkish media" count as a mention of Türkiye.

**Surfaces and offsets.** ``body[char_start:char_end] == surface`` always. An English
possessive and a Turkish suffix after an apostrophe are left out of the surface
(``Turkey’s`` → ``Turkey``, ``Türkiye'nin`` → ``Türkiye``); so is the case ending of a
gazetteer place or of a surname in Turkic copy (``Bakıda`` → ``Bakı``, ``Əliyevin`` →
``Əliyev``). Russian inflected places keep the whole word (``Астане``). Other words are
tagged whole (``Təşkilatının``).

**Identity.** ``entity_id = sha256(f"{type}:{key}")[:16]`` (``entity_id_for``), where the key
is a place's gazetteer id (``country:TR`` for Türkiye and Turkey alike), an organisation's
lexicon key or normalised name, or a person's consonant skeleton (``media_etl.text.names``), so every
spelling and script of one entity gets one id with no shared state. ``canonical_name`` is
the gazetteer's English name for places, the lexicon's or the longest written form for
organisations, and the fullest Latin spelling in the article for people (transliterated
when the article has only a Cyrillic one). Within one article, people whose skeletons are
near (rapidfuzz ratio ≥ 90) and organisations whose normalised names are near (≥ 94) are
one entity.
"""

from media_etl.enrich.entities.identity import entity_id_for, entity_key
from media_etl.enrich.entities.mentions import extract_mentions

__all__ = ["entity_id_for", "entity_key", "extract_mentions"]
