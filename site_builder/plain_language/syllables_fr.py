"""Syllables of a French word, as a careful reader says the word on its own.

The convention (``docs/plain-language.md``, "How syllables are counted", says why):

- the final ``e``, ``es`` and the ``-ent`` of verbs are silent (« table » 1, « années » 2,
  « ils parlent » 1), unless the word has no other vowel (« le », « les ») — while « un moment »,
  « souvent », « le client » say their ``-ent``;
- an ``e`` inside the word counts (« sa-me-di » 3, « é-ga-le-ment » 4): whether it is said
  depends on the speed and on the next word, which one word out of context cannot know;
- vowel letters that make one sound count once (``ai``, ``ei``, ``au``, ``eau``, ``eu``, ``œu``,
  ``ou``, ``oi``, ``ui``); ``i``, ``u`` and ``ou`` before another vowel glide into it (« nation »
  2, « nuage » 1, « jouer » 1), except after a consonant followed by ``l`` or ``r``, where French
  says both (« cli-ent », « ou-bli-er », « cru-el »); ``é`` before a vowel, a diaeresis, and
  ``oe``/``oé``/``oè``/``aé``/``ao`` part two syllables (« ré-a-li-ser », « po-è-te », « na-ïf »);
- ``y`` between vowels is a consonant that closes the first (« pa-yer », « voy-age » 2,
  « ci-toy-en » 3); the ``u`` of ``qu`` and of ``gu`` before e/i is silent; « pays » is pé-i.
"""

from __future__ import annotations

import re

VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüœæ")
_OBSTRUENTS = frozenset("bcdfgkptv")
_LIQUIDS = frozenset("lr")
_DIGRAPHS = frozenset({"ai", "aî", "au", "ay", "ei", "eî", "eu", "eû", "ey", "ea", "eo", "ee",
                       "oi", "oî", "ou", "oû", "où", "oy", "oo", "œu", "œi", "ui", "uî", "oê"})
"""Two vowel letters said as one sound (or one glide and one vowel, whatever follows)."""
_GLIDES = frozenset("iuyï")
"""Letters that glide into the next vowel (``ï`` too: « a-ïeul », « pa-ïen »)."""

_REWRITES = (
    # Spellings whose sound the rules below cannot guess, rewritten to one they can.
    (re.compile(r"^pays"), "péis"),              # pays, paysan, paysage: pé-i
    (re.compile(r"^abbaye"), "abbéie"),
    (re.compile(r"^(a|re)?août"), r"\1oût"),     # août: [u]
    (re.compile(r"^([fpt])aon"), r"\1an"),        # faon, paon, taon
    (re.compile(r"^saoul"), "soul"),
    (re.compile(r"moell"), "moill"),             # moelle, moelleux: [mwa]
    (re.compile(r"seoi"), "soi"),                # asseoir, surseoir
    (re.compile(r"^coo(?=[prd])"), "co-o"),      # coopérer, coordonner: co-o
    (re.compile(r"^zool"), "zo-ol"),             # zoologie
    (re.compile(r"ouh(?=[aeiouéèê])"), "ou"),   # souhait, souhaiter: « swè »
    (re.compile(r"ouï"), "oui"),                 # ouïe, ouïr
    (re.compile(r"ow"), "ou"),                   # clown, bowling: loans
    (re.compile(r"q(?:u|ü)"), "q"),              # qu: the u is silent (or glides: aquarium)
    (re.compile(r"gu(?=[eéèêiîy])"), "g"),       # guerre, guide; « aiguille »'s u glides
    (re.compile(r"guë"), "gu"),                  # aiguë, ambiguë: the ë is silent
    (re.compile(r"guï"), "gi"),                  # ambiguïté: the u glides into the i
    (re.compile(r"ge(?=[aoâôu])"), "g"),         # mangeons, bourgeois, geôle: the e softens the g
)


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


PRONOUNCED_ENT = _word_set("""
absent accent accident adhérent adjacent adolescent affluent agent ambivalent antécédent
apparent ardent argent arpent astringent auvent avent bivalent client coefficient cohérent
compétent conscient confident confluent congruent consent content continent contingent
convalescent convergent corpulent couvent décadent décent déficient dément détergent différent
diligent divergent effervescent efficient éloquent émergent éminent émollient entregent
équivalent évent évident excédent excellent expédient flatulent fluorescent fraudulent fréquent
gradient immanent imminent impertinent impotent imprudent impudent inadvertent incandescent
incident incohérent incompétent inconscient inconséquent incontinent inconvénient indécent
indifférent indolent indulgent influent ingrédient inhérent innocent insolent intelligent
intermittent latent luminescent mécontent négligent occident omnipotent omniprésent omniscient
opulent orient parent paravent patent pénitent permanent pertinent phosphorescent polyvalent
précédent président pressent proéminent prudent purulent récent récipient récurrent référent
régent relent rémanent repent réticent résident ressent sergent serpent somnolent souvent
strident subconscient subséquent succulent talent tangent torrent transparent trident
truculent turbulent urgent violent virulent concurrent conséquent afférent
""")
"""Words in ``-ent`` that say it (nouns, adjectives, adverbs, « il ressent »): any other word in
``-ent`` whose ending is not ``-ment``, ``-tient`` or ``-vient`` is read as a verb (« ils
parlent »). A homograph (« le président », « ils président ») is read as the noun, more common
in the pages parole publishes."""

_MUTE_MENT = _word_set("""
abîment acclament affament allument animent arriment assument blâment chôment clament
compriment consument déciment déclament dépriment diffament embaument enflamment entament
enrhument escriment estiment exhument expriment fument hument impriment inhument intiment
légitiment liment oppriment parfument périment présument priment proclament rament réclament
répriment résument riment suppriment triment écument
""")
"""Verbs in ``-ment`` (« ils expriment ») whose ending does not say which they are; the others
are caught by their ending (-aiment, -èment, -rment, -lment, -omment)."""

_MUTE_GLIDE_ENT = frozenset({"balbutient", "initient", "châtient", "dévient", "envient"})
"""Verbs in ``-tient``/``-vient`` (« ils dévient »), unlike « il devient »."""


def count_french(word: str) -> int:
    """The syllables of ``word`` (see the module's docstring); at least 1 when it has a letter,
    0 without. Elided and hyphenated parts are counted together (« aujourd'hui » 3,
    « jusqu'à » 2, « peut-être » 2)."""
    text = word.lower().replace("\u2019", "'")
    parts = [part for part in re.split(r"['\-]", text) if part]
    total = sum(_count_part(part) for part in parts)
    if total == 0 and any(character.isalpha() for character in text):
        return 1
    return total


def _count_part(part: str) -> int:
    letters = "".join(character for character in part if character.isalpha())
    if not letters:
        return 0
    verb = letters.endswith("ent") and is_verb_ending(letters)
    spoken = _rewrite(letters)
    return _vowel_groups(_silent_ending(spoken, verb=verb)) or _vowel_groups(spoken)


def _rewrite(letters: str) -> str:
    for pattern, replacement in _REWRITES:
        letters = pattern.sub(replacement, letters)
    return letters


def _silent_ending(word: str, *, verb: bool) -> str:
    """``word`` without its silent ending (final e, es; ``ent`` when ``verb``), when a vowel
    remains."""
    stem = word
    if verb and word.endswith("ent"):
        stem = word[:-3]
    elif word.endswith("es"):
        stem = word[:-2]
    elif word.endswith("e"):
        stem = word[:-1]
    return stem if _vowel_groups(stem) else word


def is_verb_ending(word: str) -> bool:
    """Whether the ``-ent`` of ``word`` (lower case) is a verb's silent ending."""
    word = word.replace("-", "")
    if word in PRONOUNCED_ENT or not _vowel_groups(word[:-3]):
        return False  # a word of the list; or « dent », « vent »: the ending is the only vowel
    if word.endswith("ment"):
        return ((word.endswith(("aiment", "èment", "rment", "lment"))
                 and word not in {"serment", "sarment", "vraiment", "gaiement"})
                or (word.endswith("omment") and word != "comment")
                or word in _MUTE_MENT)
    if word.endswith(("tient", "vient")):
        return word in _MUTE_GLIDE_ENT  # « il devient », « patient »: the ending is said
    return True


def _vowel_groups(word: str) -> int:
    """How many groups of vowel letters ``word`` has, each one syllable (see the rules above)."""
    groups = 0
    previous = ""
    for index, letter in enumerate(word):
        if not _is_vowel(word, index):
            previous = ""
            continue
        if not previous or _parts(word, index, previous):
            groups += 1
        previous = letter
    return groups


def _is_vowel(word: str, index: int) -> bool:
    letter = word[index]
    if letter not in VOWELS:
        return False
    if letter != "y":
        return True
    after = word[index + 1] if index + 1 < len(word) else ""
    if after in VOWELS and after != "y":
        if index == 0:
            return False  # « yeux », « yaourt »: a consonant
        before = word[index - 1]
        if before in VOWELS:
            return False  # « payer », « voyage »: closes « pa », « voy » and starts « -er »
    return True


def _parts(word: str, index: int, previous: str) -> bool:
    """Whether the vowel at ``index`` starts a new syllable after the vowel ``previous``."""
    letter = word[index]
    pair = previous + letter
    if letter in "ëüï" or previous == "é" or pair in {"ii", "uu", "aa"}:
        return True  # a diaeresis (« Noël », « naïf »); « ré-a-li-ser », « thé-â-tre »
    if pair == "oe":
        return word[index + 1:index + 2] not in {"u", "i"}  # « po-ète », but « oeil », « oeuvre »
    if previous == "u" and index >= 2 and word[index - 2] == "o":
        # ou before a vowel glides (« jouer », « Louis »), except after « bl », « tr »…
        # (« é-blou-ir », « trou-er »); « brouillard »'s ill is a consonant
        return _after_cluster(word, index - 2) and not word.startswith("ill", index)
    if pair in _DIGRAPHS:
        return False
    # « cli-ent », but « na-tion », « nuage »; any other pair is said in two: « po-è-te »,
    # « a-é-ro-port », « cha-os », « o-a-sis »
    return _after_cluster(word, index - 1) if previous in _GLIDES else True


def _after_cluster(word: str, index: int) -> bool:
    """Whether the letter at ``index`` follows a consonant and ``l`` or ``r`` (« cl », « tr »)."""
    return (index >= 2 and word[index - 1] in _LIQUIDS and word[index - 2] in _OBSTRUENTS)
