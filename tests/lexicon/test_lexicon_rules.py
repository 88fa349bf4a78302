"""Nesting, exclusions and negation: the YAML keys, the matcher's rules, the report columns, with known answers."""

import pytest

from framing import Article, analyze_corpus
from framing.analysis.match import category_totals, compile_lexicons, match
from framing.analysis.tokentable import build_token_table
from framing.lexicon.check import category_counts, lexicon_problems
from framing.lexicon.formats import parse_lexicon


def parse(text):
    lexicon, problems = parse_lexicon(text, suffix=".yaml", path="t.yaml")
    return lexicon, problems


def load(text):
    lexicon, problems = parse(text)
    errors = [str(p) for p in problems if p.severity == "error"]
    assert not errors, errors
    return lexicon


def found(lexicon, texts):
    table = build_token_table(texts)
    compiled = compile_lexicons([lexicon])
    m = match(compiled, table)
    rows = []
    for d, s, e, c, t, neg in zip(m.doc, m.start, m.end, m.category, m.term, m.negated):
        rows.append((int(d), texts[d][table.starts[s]:table.ends[e - 1]], compiled.category_ref[c][1],
                     compiled.terms[t].text, bool(neg)))
    return rows, category_totals(compiled, m, len(texts)), category_totals(compiled, m, len(texts), negated=True)


NESTED = """
name: t
categories:
  security:
    terms: [security]
    categories:
      military:
        terms: [troops, army]
      cyber:
        terms: [hack*]
  other:
    terms: [talks]
"""


def test_nested_categories_have_paths_and_the_parent_counts_its_children():
    lexicon = load(NESTED)
    assert [c.id for c in lexicon.categories] == ["security", "security/military", "security/cyber", "other"]
    assert [c.parent for c in lexicon.categories] == ["", "security", "security", ""]
    assert [t.text for t in lexicon.category("security").terms] == ["security"]  # own terms only
    rows, totals, _ = found(lexicon, ["Troops and hackers: security talks."])
    assert sorted(r[1:4] for r in rows) == sorted([
        ("Troops", "security", "troops"), ("Troops", "security/military", "troops"),
        ("hackers", "security", "hack*"), ("hackers", "security/cyber", "hack*"),
        ("security", "security", "security"), ("talks", "other", "talks"),
    ])
    assert totals.tolist() == [[3.0, 1.0, 1.0, 1.0]]


def test_a_parent_without_terms_of_its_own_is_no_problem():
    lexicon, problems = parse("name: t\ncategories:\n  a:\n    categories:\n      b:\n        terms: [x]\n")
    assert not problems
    assert [c.id for c in lexicon.categories] == ["a", "a/b"]


def test_exclusions_drop_the_matches_they_touch_and_only_those():
    lexicon = load("""
name: t
categories:
  rights:
    terms: [democra*, rights]
    exclude: [democrat, democrats, democratic party, human rights watch]
  party:
    terms: [democrat*]
""")
    rows, totals, _ = found(lexicon, [
        "Democrats and the Democratic Party praised democracy and democratic rights; Human Rights Watch agreed.",
    ])
    rights = [r[1] for r in rows if r[2] == "rights"]
    assert rights == ["democracy", "democratic", "rights"]  # "democratic rights" is not "democratic party"
    party = [r[1] for r in rows if r[2] == "party"]
    assert party == ["Democrats", "Democratic", "democratic"]  # another category's exclusions do not apply
    assert totals.tolist() == [[3.0, 3.0]]


def test_a_childs_exclusions_follow_its_terms_into_the_parent_and_the_parents_apply_to_all():
    lexicon = load("""
name: t
categories:
  politics:
    terms: [vote*]
    exclude: [vote of no confidence]
    categories:
      parties:
        terms: [democrat*]
        exclude: [democratic republic]
""")
    rows, _, _ = found(lexicon, ["Democratic Republic of Congo democrats vote; a vote of no confidence."])
    got = sorted((r[1], r[2]) for r in rows)
    assert got == sorted([("democrats", "politics"), ("democrats", "politics/parties"), ("vote", "politics")])


NEGATION = """
name: t
negation: true
categories:
  sanctions:
    terms: [sanction*, tariffs]
  plain:
    negation: false
    terms: [sanctions]
  custom:
    negation: {cues: [hardly, "n't"], window: 1}
    terms: [tariffs]
"""


def test_negation_marks_matches_with_a_cue_in_the_window_before_them_in_their_sentence():
    lexicon = load(NEGATION)
    assert lexicon.negation is not None and lexicon.category("plain").negation is None
    assert lexicon.category("custom").negation.window == 1
    texts = [
        "Sanctions were not imposed. No new sanctions. There were never any real new tariffs.",
        "They didn't raise tariffs. Not. Sanctions came.",  # a cue in the sentence before does not count
        "No, hardly tariffs",
    ]
    rows, totals, negated = found(lexicon, texts)
    flags = [(d, text, cat, neg) for d, text, cat, _, neg in rows]
    assert (0, "Sanctions", "sanctions", False) in flags  # "not" comes after it
    assert (0, "sanctions", "sanctions", True) in flags  # "No new sanctions": 2 tokens before
    assert (0, "sanctions", "plain", False) in flags  # its category has no negation
    assert (0, "tariffs", "sanctions", False) in flags  # "never" is 4 tokens before: outside the window of 3
    assert (1, "tariffs", "sanctions", True) in flags  # "didn't" (the n't cue), 2 before
    assert (1, "tariffs", "custom", False) in flags  # custom window is 1: "raise" is the one token before
    assert (1, "Sanctions", "sanctions", False) in flags  # "Not." is another sentence
    assert (2, "tariffs", "custom", True) in flags  # "hardly", 1 before
    assert (2, "tariffs", "sanctions", True) in flags  # "No", 3 before, same sentence
    assert totals[:, 0].tolist() == [2.0, 1.0, 0.0] and negated[:, 0].tolist() == [1.0, 1.0, 1.0]


def test_negated_matches_are_listed_in_the_ledger_and_rated_apart_in_the_report():
    lexicon = load(NEGATION)
    arts = [Article(id="a", text="No sanctions were imposed, but tariffs were.", outlet="X", source_type="wire")]
    result = analyze_corpus(arts, [lexicon])
    row = result.scores.iloc[0]
    n = row["n_tokens"]
    assert row["t.sanctions"] == pytest.approx(1000 / n)  # tariffs only
    assert row["t.sanctions.negated"] == pytest.approx(1000 / n)  # the negated "sanctions"
    assert "t.plain.negated" not in result.scores.columns  # no rule, no column
    assert row["t.plain"] == pytest.approx(1000 / n)
    ledger = result.matches
    assert ledger[(ledger.category == "sanctions") & (ledger.text == "sanctions")].negated.tolist() == [1]
    assert ledger[(ledger.category == "plain")].negated.tolist() == [0]
    evidence = row["top_evidence"]  # names what counted
    assert "tariffs ×1 (t.sanctions)" in evidence and "sanctions ×1 (t.plain)" in evidence
    assert "sanctions ×1 (t.sanctions)" not in evidence


@pytest.mark.parametrize("text, message", [
    ("name: t\nweights: 1\ncategories:\n  a:\n    terms: [x]\n", "2: error: unknown key 'weights' in the lexicon"),
    ("name: t\ncategories:\n  a:\n    terms: [x]\n    exlude: [y]\n", "5: error: unknown key 'exlude' in category a"),
    ("name: t\ncategories:\n  a:\n    terms: [{term: x, wieght: 2}]\n", "4: error: unknown key 'wieght' in an entry of a"),
    ("name: t\nnegation: maybe\ncategories:\n  a:\n    terms: [x]\n", "2: error: negation of the lexicon must be"),
    ("name: t\nnegation: {window: 0}\ncategories:\n  a:\n    terms: [x]\n", "2: error: 'window' in the negation"),
    ("name: t\nnegation: {cue: [x]}\ncategories:\n  a:\n    terms: [x]\n", "2: error: unknown key 'cue' in the negation"),
    ("name: t\ncategories:\n  a:\n    terms: [x]\n    exclude: [{term: y, weight: 2}]\n",
     "5: error: entry of 'exclude' in a must be a term"),
    ("name: t\ncategories:\n  a:\n    categories: [b]\n", "4: error: 'categories' of category a must be a mapping"),
])
def test_bad_keys_and_values_are_errors_with_their_line(text, message):
    _, problems = parse(text)
    assert any(str(p).startswith(f"t.yaml:{message}") for p in problems), [str(p) for p in problems]


def test_every_yaml_syntax_error_is_reported_not_only_the_first():
    _, problems = parse("name: t\ncategories:\n  a:\n    terms: [x, y\n  b:\n    terms:\n      - ok\n"
                        '      - "unclosed\n  c:\n    terms: [good]\n')
    syntax = [p.line for p in problems if "YAML syntax" in p.message]
    assert syntax == [4, 8]


def test_whole_lexicon_checks():
    lexicon = load("""
name: t
categories:
  a:
    terms: [war, democra*, x*]
    exclude: [peace talks]
  b:
    terms: [war, democrats, the, the end, never]
""")
    messages = [(p.line, p.message) for p in lexicon_problems(lexicon)]
    function_words = [m for _, m in messages if "function word" in m]
    assert function_words == ['term "the" in b is a function word (a stop word) and matches in nearly every text; '
                              "use it inside a phrase"]  # not "the end" (a phrase), not "never" (a style marker)
    assert (8, 'term "war" is in b and in a (line 5); it counts in both') in messages
    assert any(line == 5 and 'wildcard "democra*" in a also matches "democrats", a term of b' in m for line, m in messages)
    assert any(line == 5 and 'wildcard "x*"' in m and "great many words" in m for line, m in messages)
    assert (6, 'exclusion "peace talks" in a excludes nothing: no term of a can match any of its words') in messages
    counts = {c.category: c for c in category_counts(lexicon)}
    assert (counts["a"].terms, counts["a"].wildcards, counts["a"].exclusions) == (3, 2, 1)
    assert str(counts["b"]) == "b: 5 terms (1 phrase, 0 wildcards, 0 weighted), negation off"


def test_check_on_a_folder_lists_every_files_problems_and_counts(tmp_path, capsys):
    from framing.cli import main

    (tmp_path / "good.yaml").write_text("name: good\ncategories:\n  a:\n    terms: [x, y]\n", encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("name: bad\ncategories:\n  a:\n    terms: [x]\n    bogus: 1\n  b:\n"
                                       "    terms: [{term: z, weight: inf}]\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("not a lexicon", encoding="utf-8")
    status = main(["lexicon", "check", str(tmp_path)])
    out, err = capsys.readouterr()
    assert status == 2
    assert f"{tmp_path / 'bad.yaml'}:5: error: unknown key 'bogus'" in out
    assert f"{tmp_path / 'bad.yaml'}:7: error: weight of \"z\"" in out
    assert f"{tmp_path / 'good.yaml'}: ok: lexicon good (dimensions), 1 category, 2 terms" in out
    assert "  a: 2 terms (0 phrases, 0 wildcards, 0 weighted), negation off" in out
    assert "notes.md" not in out
    assert err.strip() == "error: 2 errors in 2 lexicon files"


def test_the_built_in_party_exclusions_keep_democracy_and_drop_the_party():
    from framing.lexicon.io import builtin_lexicon_paths, load_lexicon

    frames = load_lexicon(builtin_lexicon_paths()[0])
    rows, _, _ = found(frames, ["Democratic senators and Democrats met; democracy and democratic institutions held."])
    counted = [r[1] for r in rows if r[2] == "democracy_rights"]
    assert counted == ["democracy", "democratic"]


def test_run_json_and_the_page_name_each_lexicons_version_and_sha256(tmp_path, capsys):
    import hashlib
    import json

    from framing.cli import main

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("No sanctions were imposed, but tariffs were.", encoding="utf-8")
    (corpus / "b.txt").write_text("Tariffs and sanctions.", encoding="utf-8")
    lexicon = tmp_path / "t.yaml"
    lexicon.write_text('version: "2.1"\n' + NEGATION, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["analyze", str(corpus), "--lexicon", str(lexicon), "--out", str(out), "--quiet", "--no-charts"]) == 0
    digest = hashlib.sha256(lexicon.read_bytes()).hexdigest()
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    (entry,) = run["lexicons"]
    assert (entry["name"], entry["version"], entry["sha256"], entry["negation"]) == ("t", "2.1", digest, True)
    page = (out / "report.html").read_text(encoding="utf-8")
    assert digest in page and "2.1" in page
    header = (out / "report.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[-3:] == ["t.sanctions.negated", "t.custom.negated", "story_id"]  # the negation columns, then the story


def test_a_lexicon_is_loaded_edited_in_code_and_saved(tmp_path):
    import doctest

    import framing.lexicon.model as model
    from framing import LexiconError, load_lexicon, save_lexicon
    from framing.lexicon import make_term

    assert doctest.testmod(model).failed == 0
    path = tmp_path / "t.yaml"
    path.write_text(NESTED, encoding="utf-8")
    lexicon = load_lexicon(path)
    edited = (lexicon.with_terms("other", ["Peace talk*", ("ceasefire", 2.0), "talks"])  # "talks" is there already
              .without_terms("security/military", ["ARMY"])
              .with_exclusions("other", ["talks about talks"]))
    assert [t.text for t in edited.category("other").terms] == ["talks", "Peace talk*", "ceasefire"]
    assert edited.category("other").terms[2].weight == 2.0
    assert [t.text for t in edited.category("security/military").terms] == ["troops"]
    assert edited.sha256 == "" and lexicon.sha256  # an edit is no longer the file it was read from
    assert [t.text for t in lexicon.category("other").terms] == ["talks"]  # the original is unchanged
    assert save_lexicon(edited, tmp_path / "t2.yaml") == []
    again = load_lexicon(tmp_path / "t2.yaml")
    assert [(c.id, [t.text for t in c.terms], [t.text for t in c.exclude]) for c in again.categories] == \
        [(c.id, [t.text for t in c.terms], [t.text for t in c.exclude]) for c in edited.categories]
    dropped = save_lexicon(edited, tmp_path / "t.dic")
    assert any("weights" in m for m in dropped) and any("exclusions" in m for m in dropped)
    with pytest.raises(LexiconError, match="no letters or digits"):
        make_term("!")
    with pytest.raises(KeyError):
        lexicon.with_terms("nope", ["x"])
