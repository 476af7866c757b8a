"""Missing values as words in the tables behind charts (readers never see nan or None)."""

from __future__ import annotations

import pandas as pd


def missing_as(table: pd.DataFrame, words: dict[str, str] | str) -> pd.DataFrame:
    """A copy of ``table`` whose missing cells read as words.

    ``words`` is one word for every column, or a word per column (other
    columns are left alone). Columns holding a gap become text columns.

    >>> missing_as(pd.DataFrame({"a": [1.5, None]}), "not reported")["a"].tolist()
    [1.5, 'not reported']
    """
    columns = table.columns if isinstance(words, str) else [c for c in words if c in table]
    out = table.copy()
    for column in columns:
        word = words if isinstance(words, str) else words[column]
        gaps = out[column].isna()
        if gaps.any():
            out[column] = out[column].astype(object).where(~gaps, word)
    return out
