"""Masking what gives the publisher away: bylines, credits, captions, URLs, outlet names."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from framing import Article, analyze_corpus
from framing.analysis.mask import Masker, outlet_names, text_spans
from framing.analysis.tokentable import build_token_table
from framing.lexicon import Category, Lexicon, Term, parse_term


def masked_texts(text):
    return [text[a:b] for a, b in text_spans(text)]


def test_datelines_bylines_and_credits():
    text = (
        "WASHINGTON (Reuters) - Officials met.\n"
        "MOSCOW, Dec 1 (AP) — Talks went on.\n"
        "The deal (AP Photo/Evan Vucci) was signed. REUTERS/Kevin Lamarque\n"
        "(Reporting by Jane Doe; Editing by John Roe)"
    )
    assert masked_texts(text) == [
        "WASHINGTON (Reuters) -", "MOSCOW, Dec 1 (AP) —", "(AP Photo/Evan Vucci)", "REUTERS/Kevin Lamarque",
        "(Reporting by Jane Doe; Editing by John Roe)",
    ]


def test_caption_and_furniture_lines_urls_and_addresses():
    text = (
        "FILE PHOTO: A man walks past a sign.\nAdvertisement\nImage caption The minister spoke\n"
        "Read more: the rest\nSee https://example.com/a?b=c and www.example.org, mail a.b+c@d.co.uk or @Reuters."
    )
    assert masked_texts(text) == [
        "FILE PHOTO: A man walks past a sign.", "Advertisement", "Image caption The minister spoke",
        "Read more: the rest", "https://example.com/a?b=c", "www.example.org,", "a.b+c@d.co.uk", "@Reuters",
    ]


def test_caption_styles_of_agencies_and_broadcasters():
    text = (
        "FILE - In this Jan. 4, 2020, file photo a sign stands.\nSlideshow (4 Images)\n"
        "Enlarge this image toggle caption Alex Wong/Getty Images Alex Wong/Getty Images\n"
        "Advertisement Continue reading the main story\nAdvertisement:\n"
        "He spoke. Image copyright AP Image caption Dolls in a shop\n"
        "Talks went on. REUTERS/Aaron P. Bernstein -/File Photo"
    )
    assert masked_texts(text) == [
        "FILE - In this Jan. 4, 2020, file photo a sign stands.", "Slideshow (4 Images)",
        "Enlarge this image toggle caption Alex Wong/Getty Images Alex Wong/Getty Images",
        "Advertisement Continue reading the main story", "Advertisement:",
        "Image copyright AP Image caption Dolls in a shop", "REUTERS/Aaron P. Bernstein -/File Photo",
    ]


def test_ordinary_prose_is_left_alone():
    text = (
        "Photography is an art (he said so). Related parties agreed.\n"
        "Advertisement revenue fell. The AP course is hard, and/or Reuters-style copy is terse.\n"
        "(The vote) was close; Caption contests are fun."
    )
    assert masked_texts(text) == []


def test_outlet_name_forms():
    assert outlet_names("Fox Online News") == ["Fox Online News", "Fox"]
    assert outlet_names("CNN (Web News)") == ["CNN (Web News)", "CNN"]
    assert outlet_names("New York Times - News") == ["New York Times - News", "New York Times"]
    assert outlet_names("Reason") == ["Reason"]
    assert outlet_names("---") == []


@given(st.lists(st.text(alphabet=st.sampled_from(list("aA (Reuters)/K@b.c:\n-—")), max_size=40), min_size=1, max_size=4))
@settings(max_examples=300, deadline=None)
def test_texts_joined_by_line_breaks_are_masked_each_as_alone(texts):
    joined = text_spans("\n".join(texts))
    offset, alone = 0, []
    for t in texts:
        alone += [(a + offset, b + offset) for a, b in text_spans(t)]
        offset += len(t) + 1
    assert sorted(joined) == sorted(alone)


def words_masked(articles):
    table = build_token_table([a.text for a in articles])
    flags = Masker().tokens(articles, table)
    words = [table.vocab[i] for i in table.ids]
    return [[w for w, f, d in zip(words, flags, table.doc_of()) if f and d == k] for k in range(len(articles))]


def test_listed_names_everywhere_own_outlet_only_in_its_articles():
    articles = [
        Article(id="a", text="Fox Online News says Xinhua and the Associated Press agree.", outlet="Fox Online News"),
        Article(id="b", text="Fox said no, Reuters said yes, as did the Associated", outlet="CNN"),
        Article(id="c", text="Press of the CNN desk.", outlet="CNN (Web News)"),
    ]
    assert words_masked(articles) == [
        ["fox", "online", "news", "xinhua", "associated", "press"],
        ["reuters"],  # "Fox" is not b's outlet; "Associated" alone is no name
        ["cnn"],
    ]


def test_masked_words_leave_the_term_counts_but_not_the_token_counts():
    said = Term(text="said", words=parse_term("said")[0], wildcard=parse_term("said")[1])
    lex = Lexicon(name="style", categories=(Category(id="attr", label="A", description="", terms=(said,)),))
    articles = [
        Article(id=f"w{i}", text=f"WASHINGTON (Reuters) - Tariffs rose, officials said. REUTERS/Jo Doe {i}",
                outlet="Reuters", source_type="wire")
        for i in range(6)
    ] + [
        Article(id=f"c{i}", text=f"I think tariffs are a tax, readers of Reason said {i}.", outlet="Reason",
                source_type="independent_commentary")
        for i in range(6)
    ]
    masked = analyze_corpus(articles, [lex])
    plain = analyze_corpus(articles, [lex], mask=False)
    row = masked.scores.set_index("article_id").loc["w0"]
    assert row.n_masked == 5  # washington, reuters, reuters, jo, doe
    assert plain.scores.set_index("article_id").loc["w0"].n_masked == 0
    assert row.n_tokens == plain.scores.set_index("article_id").loc["w0"].n_tokens
    assert np.allclose(masked.scores["style.attr"], plain.scores["style.attr"])  # rates unchanged
    for result, present in ((masked, False), (plain, True)):
        listed = set(result.terms.term) | {t for tt in result.scores.top_terms for t in tt.split("; ")}
        assert ("reuters" in listed) is present and ("reason" in listed) is present


# Pages whose line breaks were lost (every statemedia_2022 text of BBC, AP, Reuters and RT is one line; the
# Guardian's paragraphs are joined by runs of spaces): furniture is found by a phrase inside the line.
def test_furniture_sentences_inside_a_line():
    text = (
        "Officials met on Monday. Sam Lee in Kyiv contributed to this report. The Daily Planet is not responsible "
        "for the content of external sites. Read about our approach to external linking. Send your story ideas to "
        "desk@example.org. Why not follow Planet North on Facebook, Twitter and Instagram? Follow Planet's coverage "
        "of the talks at https://example.com/hub/talks Talks resume on Tuesday."
    )
    assert masked_texts(text) == [
        "Sam Lee in Kyiv contributed to this report.",
        "The Daily Planet is not responsible for the content of external sites.",
        "Read about our approach to external linking.", "Send your story ideas to desk@example.org.",
        "Why not follow Planet North on Facebook, Twitter and Instagram?",
        "Follow Planet's coverage of the talks at https://example.com/hub/talks",  # the link ends the plug
    ]


def test_a_photo_credit_after_a_full_stop_takes_its_caption():
    text = (
        "The mayor spoke. Workers clear rubble in Townsville, Examplia, Tuesday, Aug. 16, 2022. The storm hit the "
        "coast overnight. (AP Photo/Jo Roe) The council met later. Crowds gathered. (Town Press Office via AP) "
        "Talks went on."
    )
    assert masked_texts(text) == [
        # AP's caption: what, where and when, then a sentence of context, then the credit
        ("Workers clear rubble in Townsville, Examplia, Tuesday, Aug. 16, 2022. The storm hit the coast overnight. "
         "(AP Photo/Jo Roe)"),
        "Crowds gathered. (Town Press Office via AP)",
    ]


def test_guardian_labels_between_runs_of_spaces():
    text = (
        "Aid is slow.   Residents queue for water in Townsville. Photograph: Jo Roe/AFP/Getty Images   Officials "
        "said more would come.   Related: How the water ran out   Interactive   Sign up to Morning Post, our free "
        "daily newsletter   The end."
    )
    assert masked_texts(text) == [
        "Residents queue for water in Townsville. Photograph: Jo Roe/AFP/Getty Images",  # not "Officials"
        "Related:", "Interactive", "Sign up to Morning Post, our free daily newsletter",
    ]


def test_datelines_of_2022_and_credit_lines():
    text = (
        "KYIV, Ukraine (AP) — Talks resumed.\nWILMINGTON, Del. (Reuters) - Biden spoke.\n"
        "More: Another story headline\nContributing: Jo Roe\nCLICK HERE TO GET THE EXAMPLE APP\n"
        "Jo Roe is a reporter for Example News. Follow him on Twitter at @joroe.\n"
        "This article was produced by Example Wire, a project of the Example Institute."
    )
    assert masked_texts(text) == [
        "KYIV, Ukraine (AP) —", "WILMINGTON, Del. (Reuters) -", "More: Another story headline", "Contributing: Jo Roe",
        "CLICK HERE TO GET THE EXAMPLE APP", "Jo Roe is a reporter for Example News.",
        "Follow him on Twitter at @joroe.",
        "This article was produced by Example Wire, a project of the Example Institute.",
    ]


def test_headline_kickers_are_masked_without_the_headline():
    text = "Feature: Farmers plant early\nGT Investigates: Who owns the port\nThe feature: a long read\nUpdate: none"
    assert masked_texts(text) == ["Feature:", "GT Investigates:", "Update:"]


def test_the_same_words_in_prose_are_left_alone():
    text = (
        "Follow the money, she said. Millions follow him on Twitter and he signed up to fight. The report, which "
        "he contributed to, was long. Interactive whiteboards are common, and related parties met: no one objected. "
        "Read about it in the report. The picture was clear. (Officials via email declined to comment.) "
        "Photographs of the war were shown. A reporter for the paper, she said it was over.\n"
        "Ms. Roe, of Examplia, (AP) said so."
    )
    assert masked_texts(text) == ["(AP)"]
