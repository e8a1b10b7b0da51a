"""Search tokens: Chinese text as overlapping two-character words, so PostgreSQL full-text search can find substrings.

Chinese has no spaces, and PostgreSQL's text search only finds whole words. So every run of Chinese characters is
written as its overlapping bigrams (滨州市总工会 → 滨州 州市 市总 总工 工会) and every run of other letters and digits
as one lower-cased word. A query of two or more Chinese characters becomes the same bigrams joined by the phrase
operator (劳动模范 → 劳动 <-> 动模 <-> 模范): found wherever the query is a substring, served by a GIN index on
PostgreSQL's stored `search_vector` = to_tsvector('simple', …) of the tokens (news migration 0008)."""

import re
import unicodedata

HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
RUN = re.compile(rf"(?P<han>[{HAN}]+)|(?P<word>[^\W_{HAN}]+)")


def search_runs(text):
    """(is_han, run) for each run of Chinese characters or of other letters and digits; the rest separates runs."""
    for match in RUN.finditer(unicodedata.normalize("NFKC", text or "")):
        yield match.lastgroup == "han", match.group()


def run_tokens(is_han, run):
    if not is_han:
        return [run.lower()]
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def search_tokens(text):
    """The token string stored in Article.search_tokens / title_tokens."""
    return " ".join(token for is_han, run in search_runs(text) for token in run_tokens(is_han, run))


def search_char_count(query):
    """How many searchable characters (Chinese, letters, digits) a query has: fewer than two are not searched."""
    return sum(len(run) for _, run in search_runs(query))


def quote_tsquery_term(token):
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def search_tsquery(query):
    """The query as a phrase tsquery over the same tokens, for `to_tsquery('simple', …)` (passed as a parameter).
    Every token is quoted, so operators typed by a user are text. A lone Chinese character between other runs
    (5G网) matches as a prefix, since the text holds it inside a bigram (网络). '' when nothing is searchable."""
    terms = []
    for is_han, run in search_runs(query):
        for token in run_tokens(is_han, run):
            term = quote_tsquery_term(token)
            terms.append(term + ":*" if is_han and len(run) == 1 else term)
    return " <-> ".join(terms)


def search_phrase_is_exact(query):
    """Whether the phrase tsquery finds exactly the texts that hold `query`: yes for one run (劳动模范: consecutive
    bigrams occur only inside one run of the text; a word: the same word), no for several runs (2026年工会), whose
    phrase can also match across what separates runs in the text, so the rows found are checked again."""
    return len(list(search_runs(query))) == 1
