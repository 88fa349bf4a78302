"""Published dictionary formats: WordStat .cat, Lexicoder .lc3, Yoshikoder .ykd, NRC .txt, JSON, quanteda YAML.

Each is read from a small file written here as the format is published, each
message of a bad file is checked with its line, and what framing writes in
the format reads back as the same lexicon less what the losses name.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from framing.lexicon import load_lexicon
from framing.lexicon.formats import parse_lexicon
from framing.lexicon.formats.json_lexicon import is_word_to_categories
from framing.lexicon.model import Category, Lexicon, make_term
from framing.lexicon.writers import write_lexicon_text

from .test_formats import full_lexicon, parse, problems_of, shape, terms

NEW = (".cat", ".lc3", ".ykd", ".txt", ".json")


def cats(lex: Lexicon) -> list[tuple[str, str, str, list[tuple[str, float]]]]:
    """(id, label, parent, [(term, weight)]) of each category."""
    return [(c.id, c.label, c.parent, [(t.text, t.weight) for t in c.terms]) for c in lex.categories]


# --- WordStat .cat ----------------------------------------------------------


def test_wordstat_categories_entries_weights_and_nesting():
    cat = (
        "POSITIVE\n\tGOOD* (1)\n\tGREAT (2)\n"
        "NEGATIVE\n\tBAD (1)\n\tFEAR\n\t\tAFRAID (1)\n\t\tPANIC_ATTACK* (1.5)\n"
        "\tANGER\n\t\tRAGE (1)   \n"
        "\n"
        "ECONOMY\n\tMARKET FORCES (1)\n"
    )
    lex = parse(cat, ".cat")
    assert cats(lex) == [
        ("positive", "POSITIVE", "", [("GOOD*", 1.0), ("GREAT", 2.0)]),
        ("negative", "NEGATIVE", "", [("BAD", 1.0)]),
        ("negative/fear", "FEAR", "negative", [("AFRAID", 1.0), ("PANIC ATTACK*", 1.5)]),
        ("negative/anger", "ANGER", "negative", [("RAGE", 1.0)]),
        ("economy", "ECONOMY", "", [("MARKET FORCES", 1.0)]),
    ]
    # Upper case is read as lower case; an underscore joins a phrase.
    assert [(t.words, t.wildcard) for t in lex.category("negative/fear").terms] == [
        (("afraid",), (False,)), (("panic", "attack"), (False, True))]
    assert lex.warnings == ()


def test_wordstat_messages_name_their_line():
    problems = problems_of("GOOD (1)\nPOS\n\tFINE (1)\n\tNICE\n!!\n\tX (1)\nPOS\n\tOK (1)\n", ".cat")
    assert problems == [
        "x.cat:1: error: entry 'GOOD (1)' is in no category: indent it with a tab under a category line "
        "(a line without a weight in parentheses)",
        "x.cat:5: error: category '!!' has no letters or digits",
        "x.cat:6: error: entry 'X (1)' is in no category: indent it with a tab under a category line "
        "(a line without a weight in parentheses)",
        "x.cat:7: warning: category pos appears twice (first on line 2); its entries are read as one category",
        "x.cat:4: warning: 'NICE' is read as a category with no entries: an entry ends with its weight in "
        "parentheses, as in 'GOOD* (1)'",
        "x.cat:4: warning: category pos/nice has no terms",
    ]
    assert problems_of("", ".cat") == ["x.cat:1: error: the file is empty: a .cat file has category lines, and "
                                       "under each, indented by a tab, entries such as 'GOOD* (1)'"]


def test_wordstat_weight_text_goes_to_the_term_check():
    lex, _ = parse_lexicon("NEG\n\tBAD (-2.5)\n\tWORSE (0)\n", suffix=".cat", path="x.cat")
    assert [(t.text, t.weight) for t in lex.categories[0].terms] == [("BAD", -2.5), ("WORSE", 0.0)]


# --- Lexicoder .lc3 ---------------------------------------------------------


def test_lexicoder_categories_and_entries():
    lc3 = "+negative\nABANDON*\n  A LIE*  \n\n+positive\nADMIRABL*\n+neg_positive\nNOT GOOD\n+negative\nAWFUL\n"
    lex, problems = parse_lexicon(lc3, suffix=".lc3", path="x.lc3", stem="lsd")
    assert lex is not None and lex.name == "lsd"
    assert cats(lex) == [
        ("negative", "negative", "", [("ABANDON*", 1.0), ("A LIE*", 1.0), ("AWFUL", 1.0)]),
        ("positive", "positive", "", [("ADMIRABL*", 1.0)]),
        ("neg_positive", "neg_positive", "", [("NOT GOOD", 1.0)]),
    ]
    assert [str(p) for p in problems] == [
        "x.lc3:9: warning: category negative is named twice (first on line 1); its entries are read as one category"]


def test_lexicoder_paths_nest_and_labels_are_kept():
    lex = parse("+Econ\ntrade\n+Econ/Energy\noil\n+Security/Cyber\nhack*\n", ".lc3")
    assert shape(lex) == [("econ", ""), ("econ/energy", "econ"), ("security", ""), ("security/cyber", "security")]
    assert [c.label for c in lex.categories] == ["Econ", "Energy", "security", "Cyber"]


@pytest.mark.parametrize(("text", "message"), [
    ("good\n+pos\nfine\n", "x.lc3:1: error: entry 'good' comes before any category: a .lc3 file names a category "
                           "on a line starting with '+', then lists its entries"),
    ("+pos\nfine\n+!!\nbad\n", "x.lc3:3: error: category '!!' has no letters or digits"),
    ("+pos\n+neg\nbad\n", "x.lc3:1: warning: category pos has no terms"),
    ("\n\n", "x.lc3:1: error: the file is empty: a .lc3 file names a category on a line starting with '+', "
             "then lists its entries, one per line"),
])
def test_lexicoder_messages_name_their_line(text, message):
    assert message in problems_of(text, ".lc3")


# --- Yoshikoder .ykd --------------------------------------------------------

YKD = """<?xml version="1.0" encoding="ISO-8859-1"?>
<dictionary style="Laver &amp; Garry" name="Laver Garry">
  <cnode name="Economy">
    <pnode name="tax*"/>
    <cnode name="+State Reg">
      <pnode name="accommodation"/>
      <pnode name="age &amp; care"/>
    </cnode>
    <cnode name="=Market">
      <pnode name="market forces"/>
    </cnode>
  </cnode>
  <cnode name="Culture"><pnode name="art*"/></cnode>
</dictionary>
"""


def test_yoshikoder_nested_categories_patterns_and_name():
    lex = parse(YKD, ".ykd", stem="file")
    assert lex.name == "laver_garry"  # the dictionary's own name, not the file's
    assert cats(lex) == [
        ("economy", "Economy", "", [("tax*", 1.0)]),
        ("economy/state_reg", "+State Reg", "economy", [("accommodation", 1.0), ("age & care", 1.0)]),
        ("economy/market", "=Market", "economy", [("market forces", 1.0)]),
        ("culture", "Culture", "", [("art*", 1.0)]),
    ]
    assert [t.line for c in lex.categories for t in c.terms] == [4, 6, 7, 10, 13]


@pytest.mark.parametrize(("text", "message"), [
    ('<?xml version="1.0"?>\n<!DOCTYPE d [\n<!ENTITY a "aaaa">\n]>\n<dictionary/>\n',
     "x.ykd:2: error: the file declares a DOCTYPE, which framing refuses (it can make an XML reader expand "
     "entities without end); a Yoshikoder dictionary has none"),
    ('<dictionary>\n<!ENTITY a "b">\n</dictionary>\n', "x.ykd:2: error: the file declares a ENTITY, which framing "
     "refuses (it can make an XML reader expand entities without end); a Yoshikoder dictionary has none"),
    ("<dictionary>\n<cnode name='a'>\n<pnode name='x'>\n</cnode>\n</dictionary>\n",
     "x.ykd:4: error: XML syntax: mismatched tag"),
    ("<dictionary>\n<cnode name='a'>\n<pnode name='x'/>\n", "x.ykd:4: error: XML syntax: no element found"),
    ("<dict>\n</dict>\n", "x.ykd:1: error: a .ykd file is XML: a <dictionary> element holding <cnode name=...> "
                          "categories of <pnode name=...> patterns; the root element is <dict>"),
    ("<dictionary>\n<pnode name='lost'/>\n<cnode name='a'><pnode name='x'/></cnode>\n</dictionary>\n",
     "x.ykd:2: warning: pattern 'lost' is directly under <dictionary>, in no category; ignored"),
    ("<dictionary>\n<cnode name='a'>\n<pnode/>\n<pnode name='y'/>\n</cnode>\n</dictionary>\n",
     "x.ykd:3: error: a <pnode> in a has no name attribute (its pattern)"),
    ("<dictionary>\n<cnode name='a'>\n<pnode name='y'/>\n</cnode>\n<cnode name='??'/>\n</dictionary>\n",
     "x.ykd:5: error: category '??' has no letters or digits (a <cnode> is named by its name attribute)"),
    ("<dictionary>\n<cnode name='a'>\n<pnode name='y'/>\n<note/>\n</cnode>\n</dictionary>\n",
     "x.ykd:4: warning: element <note> in a is not a Yoshikoder category (<cnode>) or pattern (<pnode>); ignored"),
])
def test_yoshikoder_messages_name_their_line(text, message):
    assert message in problems_of(text, ".ykd")


def test_yoshikoder_billion_laughs_is_refused_before_parsing():
    laughs = '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n' + "".join(
        f' <!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n' for i in range(1, 10)
    ) + ']>\n<dictionary><cnode name="a"><pnode name="&lol9;"/></cnode></dictionary>\n'
    lex, problems = parse_lexicon(laughs, suffix=".ykd", path="x.ykd")
    assert [p.line for p in problems if p.severity == "error"] == [2]
    assert lex is not None and lex.categories == ()


# --- NRC word-category-value .txt -------------------------------------------


def test_nrc_emotion_lexicon_flags_intensity_and_two_columns():
    txt = ("word\temotion\tassociation\n"
           "abandon\tfear\t1\nabandon\tjoy\t0\nabandon\tnegative\t1\n"
           "abhor\tanger\t0.828\n"
           "cheer up\tjoy\t1\n"
           "good\tpositive\n"
           "\n"
           "zeal\tjoy\t1\t\n")
    lex = parse(txt, ".txt")
    assert cats(lex) == [
        ("fear", "fear", "", [("abandon", 1.0)]),
        ("negative", "negative", "", [("abandon", 1.0)]),
        ("anger", "anger", "", [("abhor", 0.828)]),
        ("joy", "joy", "", [("cheer up", 1.0), ("zeal", 1.0)]),
        ("positive", "positive", "", [("good", 1.0)]),
    ]
    assert [t.line for t in lex.category("joy").terms] == [6, 9]


def test_nrc_without_header_and_a_category_only_of_zeros():
    lex = parse("aback\tanger\t0\naback\tfear\t1\n", ".txt")
    assert cats(lex) == [("fear", "fear", "", [("aback", 1.0)])]  # anger: no word with a value other than 0


@pytest.mark.parametrize(("text", "message"), [
    ("a\tfear\t1\nb\n", "x.txt:2: error: a .txt lexicon has one 'word<TAB>category<TAB>value' (or "
                        "'word<TAB>category') line per entry; this line has 1 column: 'b'"),
    ("a\tfear\t1\nb\tfear\t1\tx\n", "x.txt:2: error: a .txt lexicon has one 'word<TAB>category<TAB>value' (or "
                                    "'word<TAB>category') line per entry; this line has 4 columns: 'b\\tfear\\t1\\tx'"),
    ("a\tfear\t1\nb\tfear\tyes\n", "x.txt:2: error: value of \"b\" in fear must be a number (0: not in the "
                                   "category), got 'yes'"),
    ("a\tfear\t1\n\tfear\t1\n", "x.txt:2: error: a .txt lexicon has one 'word<TAB>category<TAB>value' (or "
                                "'word<TAB>category') line per entry; the word is empty: 'fear\\t1'"),
    ("a\tfear\t1\nb\t!!\t1\n", "x.txt:2: error: category '!!' of \"b\" has no letters or digits"),
    ("a\tfear\t0\n", "x.txt:1: error: the file has no entry with a value other than 0: a .txt lexicon has one "
                     "'word<TAB>category<TAB>value' (or 'word<TAB>category') line per entry"),
])
def test_nrc_messages_name_their_line(text, message):
    assert message in problems_of(text, ".txt")


# --- quanteda YAML ----------------------------------------------------------


def test_quanteda_yaml_flat_nested_and_weighted():
    text = ("# Newsmap-like\n"
            "Africa:\n  East:\n    BI: [burundi, bujumbura]\n    DJ: [djibouti]\n  West:\n    CV: [cape verde*]\n"
            "Positive: [good, great*]\n"
            "Scored:\n  good: 2\n  bad:\n")
    lex = parse(text, ".yaml", stem="newsmap")
    assert lex.name == "newsmap"
    assert cats(lex) == [
        ("africa", "Africa", "", []),
        ("africa/east", "East", "africa", []),
        ("africa/east/bi", "BI", "africa/east", [("burundi", 1.0), ("bujumbura", 1.0)]),
        ("africa/east/dj", "DJ", "africa/east", [("djibouti", 1.0)]),
        ("africa/west", "West", "africa", []),
        ("africa/west/cv", "CV", "africa/west", [("cape verde*", 1.0)]),
        ("positive", "Positive", "", [("good", 1.0), ("great*", 1.0)]),
        ("scored", "Scored", "", [("good", 2.0), ("bad", 1.0)]),
    ]
    assert [t.line for t in lex.category("africa/east/bi").terms] == [4, 4]
    assert lex.warnings == ()


@pytest.mark.parametrize(("text", "message"), [
    ("pos: [good, [nested]]\n", "x.yaml:1: error: an entry of category pos must be a term, not a list"),
    ("pos: [good]\n'!!': [bad]\n", "x.yaml:2: error: category '!!' has no letters or digits"),
    ("pos:\n  good: heavy\n", "x.yaml:2: error: weight of \"good\" in pos must be a finite number, "
                              "got 'heavy'"),
    ("pos: [good]\nPOS: [fine]\n", "x.yaml:2: warning: category pos appears twice (first on line 1); "
                                   "its entries are read as one category"),
])
def test_quanteda_yaml_messages_name_their_line(text, message):
    assert message in problems_of(text, ".yaml")


def test_framing_yaml_is_not_taken_for_quanteda():
    # A scalar value (name) or a categories key makes it framing's layout, with framing's messages.
    assert "x.yaml:1: error: missing 'categories': a mapping from category id to its terms" in problems_of(
        "name: x\npos: [good]\n", ".yaml")
    assert cats(parse("categories:\n  pos:\n    terms: [good]\n", ".yaml")) == [("pos", "pos", "", [("good", 1.0)])]


# --- JSON -------------------------------------------------------------------


def test_json_category_to_terms_lists_weights_and_nesting():
    text = json.dumps({"Positive": ["good", "great*"], "negative": {"bad": 1, "awful": 2.5},
                       "Econ": {"trade": 1, "Energy": ["oil"], "Nuclear": {"Fission": ["reactor*"]}}}, indent=2)
    lex = parse(text, ".json")
    assert cats(lex) == [
        ("positive", "Positive", "", [("good", 1.0), ("great*", 1.0)]),
        ("negative", "negative", "", [("bad", 1.0), ("awful", 2.5)]),
        ("econ", "Econ", "", [("trade", 1.0)]),
        ("econ/energy", "Energy", "econ", [("oil", 1.0)]),
        ("econ/nuclear", "Nuclear", "econ", []),
        ("econ/nuclear/fission", "Fission", "econ/nuclear", [("reactor*", 1.0)]),
    ]
    assert [t.line for t in lex.category("negative").terms] == [7, 8]


def test_json_word_to_categories():
    text = ('{\n\t"good": ["positive"],\n\t"great": ["positive", "Joy"],\n\t"awful": {"negative": 2, "Joy": 0},\n'
            '\t"fine": ["positive"]\n}\n')  # 4 words, 3 category names
    lex = parse(text, ".json")
    assert cats(lex) == [
        ("positive", "positive", "", [("good", 1.0), ("great", 1.0), ("fine", 1.0)]),
        ("joy", "Joy", "", [("great", 1.0)]),
        ("negative", "negative", "", [("awful", 2.0)]),
    ]
    assert [t.line for t in lex.category("positive").terms] == [2, 3, 5]


@pytest.mark.parametrize(("data", "word_first"), [
    ({"good": ["pos"], "great": ["pos"], "bad": ["neg"]}, True),        # 3 keys, 2 category names
    ({"good": {"pos": 1}, "bad": {"neg": 2}, "meh": {"pos": 0.5}}, True),
    ({"pos": ["good", "great"], "neg": ["bad"]}, False),                # 2 keys, 3 terms
    ({"pos": ["good"], "neg": ["bad"]}, False),                         # as many keys as names: category first
    ({"pos": {"good": 1}, "econ": {"energy": ["oil"]}}, False),         # a nested object is category first
    ({"name": "x", "categories": {}}, False),
    ({"a": [], "b": []}, False),                                        # no category name at all
])
def test_json_orientation_rule(data, word_first):
    assert is_word_to_categories(data) is word_first


def test_json_in_framings_layout_is_read_as_framings_yaml():
    text = json.dumps({"name": "mine", "role": "style", "categories": {
        "econ": {"label": "Economy", "terms": ["trade", {"term": "trade war", "weight": 2}], "exclude": ["trade union"],
                 "negation": True}}}, indent=1)
    lex = parse(text, ".json")
    assert (lex.name, lex.role) == ("mine", "style")
    econ = lex.category("econ")
    assert (econ.label, [(t.text, t.weight) for t in econ.terms]) == ("Economy", [("trade", 1.0), ("trade war", 2.0)])
    assert [t.text for t in econ.exclude] == ["trade union"] and econ.negation is not None


@pytest.mark.parametrize(("text", "message"), [
    ('{\n  "pos": ["good",\n  ]\n}\n', "x.json:3: error: JSON syntax: Expecting value (column 3)"),
    ('{"pos": ["good"]}\n{"neg": []}\n', "x.json:2: error: JSON syntax: Extra data (column 1)"),
    ('["good"]', "x.json:1: error: a JSON lexicon is an object: category -> terms ({\"positive\": [\"good\"]}), "
                 "word -> categories ({\"good\": [\"positive\"]}) or framing's layout ({\"name\": ..., "
                 "\"categories\": {...}}); this file holds a list"),
    ("{}", "x.json:1: error: a JSON lexicon is an object: category -> terms ({\"positive\": [\"good\"]}), "
           "word -> categories ({\"good\": [\"positive\"]}) or framing's layout ({\"name\": ..., "
           "\"categories\": {...}}); this file holds an empty object"),
    ('{\n"pos": {\n"good": "heavy"\n}\n}', "x.json:3: error: weight of \"good\" in pos must be a finite "
                                           "number, got 'heavy'"),
    ('{"a": {"x": 1},\n "b": {"y": 1},\n "c": {"!!": 1}, "d": {"x": 2}}',
     "x.json:3: error: category '!!' of \"c\" has no letters or digits"),
])
def test_json_messages_name_their_line(text, message):
    assert message in problems_of(text, ".json")


# --- writers ----------------------------------------------------------------


def test_written_files_look_as_published():
    lex = full_lexicon()
    cat = write_lexicon_text(lex, ".cat")[0].splitlines()
    assert cat[:3] == ["econ", "\ttrade (1)", "\ttariff* (1)"]
    assert "\tEnergy" in cat and "\t\tlng (1.5)" in cat and "\t\tnuclear" in cat and "\t\t\treactor* (1)" in cat
    lc3 = write_lexicon_text(lex, ".lc3")[0].splitlines()
    assert lc3[:2] == ["+econ", "trade"] and "+econ/Energy" in lc3 and "+econ/energy/nuclear" in lc3
    txt = write_lexicon_text(lex, ".txt")[0].splitlines()
    assert txt[:3] == ["trade\tecon\t1", "tariff*\tecon\t1", "trade war\tecon\t2"] and "lng\tecon/Energy\t1.5" in txt
    data = json.loads(write_lexicon_text(lex, ".json")[0])
    assert data["Security"] == ["war", "arms race"]
    assert data["econ"]["trade war"] == 2 and data["econ"]["Energy"]["lng"] == 1.5
    assert data["econ"]["Energy"]["nuclear"] == ["reactor*"]


def test_yoshikoder_writer_escapes_xml():
    lex = Lexicon(name="x", categories=(
        Category("a_b", "A & <B>", "", (make_term('say "no" & <go>'), make_term("it's"))),))
    text = write_lexicon_text(lex, ".ykd")[0]
    assert '<pnode name="say &quot;no&quot; &amp; &lt;go&gt;"/>' in text and "<cnode name=\"A &amp; &lt;B&gt;\">" in text
    back = parse(text, ".ykd")
    assert cats(back) == [("a_b", "A & <B>", "", [('say "no" & <go>', 1.0), ("it's", 1.0)])]


def test_json_writer_falls_back_to_framings_layout_when_it_would_be_misread():
    # Category -> terms {"a": ["war"], "b": ["war"]} reads as two words of one category "war".
    lex = Lexicon(name="t", categories=(Category("a", "a", "", (make_term("war"),)),
                                        Category("b", "b", "", (make_term("war"),))))
    text = write_lexicon_text(lex, ".json")[0]
    assert json.loads(text)["name"] == "t"
    assert cats(parse(text, ".json")) == cats(lex)
    named = Lexicon(name="t", categories=(Category("categories", "categories", "", (make_term("x"), make_term("y"))),))
    assert cats(parse(write_lexicon_text(named, ".json")[0], ".json")) == cats(named)


@pytest.mark.parametrize("suffix", NEW)
def test_round_trip_keeps_what_each_format_holds(suffix):
    original = full_lexicon()
    text, losses = write_lexicon_text(original, suffix)
    back = parse(text, suffix)
    assert back.name == "mini" and back.warnings == ()
    assert shape(back) == shape(original)
    weighted = suffix not in (".lc3", ".ykd")
    assert terms(back, weights=weighted) == terms(original, weights=weighted)
    assert any("has no weights" in m for m in losses) is not weighted
    # Labels that give back their id are kept (econ/energy: "Energy", security: "Security"); the others are not.
    assert [c.label for c in back.categories] == ["econ", "Energy", "nuclear", "Security"]
    assert f"{'JSON' if suffix == '.json' else suffix} has no labels: 2 category labels not written" in " ".join(losses)
    assert all(not c.exclude and c.negation is None and c.extra == () and c.description == "" for c in back.categories)
    assert write_lexicon_text(back, suffix)[0] == text  # writing what was read gives the same text


def test_ykd_keeps_the_name_and_says_so():
    losses = write_lexicon_text(full_lexicon(), ".ykd")[1]
    assert losses[0].endswith("not written (the name is kept)")
    assert parse(write_lexicon_text(full_lexicon(), ".ykd")[0], ".ykd", stem="other").name == "mini"


def test_nrc_names_the_categories_it_cannot_write():
    lex = Lexicon(name="t", categories=(Category("a", "a", "", (make_term("x"),)), Category("empty", "E", "", ())))
    losses = write_lexicon_text(lex, ".txt")[1]
    assert ".txt lists categories by their terms: 1 category without terms not written" in losses
    assert ".txt has no labels: 1 category label not written" in " ".join(losses)
    assert write_lexicon_text(lex, ".txt")[0] == "x\ta\t1\n"


@pytest.mark.parametrize("suffix", NEW)
def test_frames_converts_and_reads_back(tmp_path, suffix):
    frames = load_lexicon("frames")
    text, _ = write_lexicon_text(frames, suffix)
    (tmp_path / f"frames{suffix}").write_text(text, encoding="utf-8")
    back = load_lexicon(tmp_path / f"frames{suffix}")
    assert back.n_entries == frames.n_entries == 764 and shape(back) == shape(frames)
    weighted = suffix not in (".lc3", ".ykd")
    assert terms(back, weights=weighted) == terms(frames, weights=weighted)


# --- any lexicon, any text --------------------------------------------------

_WORD = st.text(alphabet="abcxyzé", min_size=1, max_size=6)
_TERM = st.builds(lambda ws, star, w: (" ".join(ws) + ("*" if star else ""), w),
                  st.lists(_WORD, min_size=1, max_size=3), st.booleans(),
                  st.sampled_from([1.0, 1.0, 2.0, 0.5, 1.25]))
_LABEL = st.sampled_from(["", "Upper", "Two Words", "a & b", "x/y", "tab\there", "(1)", "+plus", "Top (2)"])


@st.composite
def lexicons(draw) -> Lexicon:
    """Up to 6 categories, nested up to 3 deep, with labels, weights, phrases, wildcards, empty categories."""
    categories: list[Category] = []
    ids: list[str] = []
    for n in range(draw(st.integers(1, 6))):
        parent = draw(st.sampled_from(["", *ids])) if ids and draw(st.booleans()) else ""
        if parent.count("/") >= 2:
            parent = ""
        cid = f"{parent}/c{n}" if parent else f"c{n}"
        label = draw(_LABEL) or cid.rsplit("/", 1)[-1]
        seen, items = set(), []
        for text, weight in draw(st.lists(_TERM, max_size=4)):
            term = make_term(text, weight)
            if (term.words, term.wildcard) not in seen:
                seen.add((term.words, term.wildcard))
                items.append(term)
        categories.append(Category(cid, label, "", tuple(items), parent=parent))
        ids.append(cid)
    # Each parent before its children, as a reader makes them.
    by_parent: dict[str, list[Category]] = {}
    for c in categories:
        by_parent.setdefault(c.parent, []).append(c)

    def walk(parent: str) -> list[Category]:
        return [x for c in by_parent.get(parent, []) for x in (c, *walk(c.id))]

    return Lexicon(name="hyp", categories=tuple(walk("")))


@pytest.mark.parametrize("suffix", NEW)
@given(lex=lexicons())
@settings(max_examples=60, deadline=None)
def test_any_lexicon_reads_back_less_what_the_losses_name(suffix, lex):
    assume(suffix != ".txt" or lex.n_entries)  # an NRC file lists its terms: with none it is empty
    text, losses = write_lexicon_text(lex, suffix)
    back, problems = parse_lexicon(text, suffix=suffix, path=f"x{suffix}", stem="hyp")
    assert back is not None and not [p for p in problems if p.severity == "error"], (text, problems)
    weighted = suffix not in (".lc3", ".ykd")
    dropped = {c.id for c in lex.categories if not c.terms and not any(d.terms for d in lex.descendants(c.id))
               } if suffix == ".txt" else set()
    kept = [c for c in lex.categories if c.id not in dropped]
    assert shape(back) == [(c.id, c.parent) for c in kept]
    expected = {c.id: [(t.text, t.words, t.wildcard, t.weight if weighted else 1.0) for t in c.terms] for c in kept}
    assert terms(back, weights=weighted) == expected
    lost = sum(a.label != b.label for a, b in zip(kept, back.categories))
    lost += sum(c.label not in (c.id, c.id.rsplit("/", 1)[-1]) for c in lex.categories if c.id in dropped)
    said = next((m for m in losses if "has no labels" in m), ".: 0 category labels")
    named = int(said.split(": ", 1)[1].split()[0])
    if suffix == ".json" and "categories" in json.loads(text) and "name" in json.loads(text):
        assert named >= lost  # framing's layout, written when the other would be misread, keeps the labels
    else:
        assert named == lost, (text, losses)


@pytest.mark.parametrize("suffix", NEW + (".yaml",))
@given(text=st.text(alphabet="\t\n +-*()01.abXY:[]{}\",<>/=!'&;", max_size=200))
@settings(max_examples=150, deadline=None)
def test_every_problem_of_any_text_has_a_line_in_the_file(suffix, text):
    last = text.count("\n") + 1
    for problem in parse_lexicon(text, suffix=suffix, path=f"x{suffix}")[1]:
        assert 1 <= problem.line <= last + 1, (text, str(problem))


def test_quanteda_yaml_is_written_and_reads_back_as_the_same_categories(tmp_path):
    from framing.lexicon.writers import write_lexicon_text

    source = ("Africa:\n  East:\n    BI: [burundi, bujumbura]\n  West: [ghana*]\nPositive: [good, great*]\n"
              "Scored:\n  good: 2\n  awful: 1.5\n")
    lexicon, problems = parse_lexicon(source, suffix=".yaml", path="x.yaml", stem="x")
    assert not [p for p in problems if p.severity == "error"]
    text, losses = write_lexicon_text(lexicon, ".yaml", quanteda=True)
    assert "categories:" not in text and "Positive: [good, great*]" in text
    again, _ = parse_lexicon(text, suffix=".yaml", path="y.yaml", stem="x")
    shape = [(c.id, c.label, [(t.text, t.weight) for t in c.terms]) for c in again.categories]
    assert shape == [(c.id, c.label, [(t.text, t.weight) for t in c.terms]) for c in lexicon.categories]
    assert losses == []


def test_quanteda_yaml_refuses_what_it_cannot_write():
    from framing.errors import InputError
    from framing.lexicon.writers import write_lexicon_text

    from framing.lexicon import Category, Lexicon, make_term

    # A top-level category named "categories" would read back as framing's YAML.
    clash = Lexicon("x", (Category("categories", "categories", "", (make_term("x"),)),))
    with pytest.raises(InputError, match="cannot be written in quanteda's YAML"):
        write_lexicon_text(clash, ".yaml", quanteda=True)
    with pytest.raises(InputError, match="quanteda's layout is a YAML one"):
        write_lexicon_text(parse_lexicon("a: [x]\n", suffix=".yaml", path="a.yaml", stem="a")[0], ".csv",
                           quanteda=True)


@pytest.mark.parametrize(("text", "suffix"), [
    ("Econ@\n\ttrade (1)\nECON\n\tmarket (1)\nEcon@\n\ttariff (1)\n", ".cat"),
    ("Econ@: [trade]\nECON: [market]\necon@: [tariff]\n", ".yaml"),
])
def test_nested_formats_keep_names_that_make_one_id_apart_and_merge_a_repeated_name(text, suffix):
    lexicon, problems = parse_lexicon(text, suffix=suffix, path=f"x{suffix}", stem="x")
    assert {c.id: [t.text for t in c.terms] for c in lexicon.categories} == {
        "econ": ["trade", "tariff"], "econ_2": ["market"]}
    messages = [p.message for p in problems]
    assert "categories 'Econ@' (line 1) and 'ECON' both make the id econ; 'ECON' is econ_2" in messages
    assert any(m.startswith("category econ appears twice") for m in messages)
