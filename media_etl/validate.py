"""Validate tables against their pandera models; failing rows become rejections, never silent drops."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from media_etl.records import Rejection


def failing_rows(df: pd.DataFrame, model: type[pa.DataFrameModel]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate lazily and return the coerced frame and the row-level failure cases.

    Args:
        df: The table to check, with a default RangeIndex.
        model: Its pandera model.

    Returns:
        The frame (coerced where coercion succeeded) and pandera's failure cases
        with an ``index`` column naming each failing row.

    Raises:
        pandera.errors.SchemaErrors: A failure not tied to rows (a missing or extra
            column): that is a bug in the pipeline, not bad input.
    """
    try:
        return model.validate(df, lazy=True), pd.DataFrame(columns=["index"])
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        if cases["index"].isna().any():
            raise
        return exc.data, cases


def _describe(table: str, case: pd.Series) -> tuple[str, str, str | None]:
    """Return the reason code, detail and column of one pandera failure case."""
    check = str(case["check"])
    name = check.split("(")[0]
    if case["schema_context"] != "Column":
        # A whole-row check: pandera lists every column of the row; one rejection says it.
        return "".join(c if c.isalnum() else "_" for c in name.lower()), f"{table} row failed check {check}", None
    column = str(case["column"])
    value = repr(case["failure_case"])
    if len(value) > 80:
        value = value[:77] + "..."
    reason = "".join(c if c.isalnum() else "_" for c in f"{column}_{name}".lower())
    return reason, f"{table}.{column} failed {check}: value {value}", column


def split_valid(
    articles: pd.DataFrame,
    paragraphs: pd.DataFrame,
    models: tuple[type[pa.DataFrameModel], type[pa.DataFrameModel]],
) -> tuple[pd.DataFrame, pd.DataFrame, list[Rejection]]:
    """Validate articles and their paragraphs together and keep only whole, valid articles.

    An article with any failing article or paragraph row is dropped with all its
    paragraphs, and each failure becomes a ``validate`` rejection naming the column,
    the check and the value.

    Args:
        articles: Article rows, one per article.
        paragraphs: Paragraph rows keyed by ``article_id``.
        models: The article and paragraph pandera models.

    Returns:
        The valid articles, their paragraphs, and the rejections.
    """
    article_model, paragraph_model = models
    articles = articles.reset_index(drop=True)
    paragraphs = paragraphs.reset_index(drop=True)
    checked_articles, article_cases = failing_rows(articles, article_model)
    checked_paragraphs, paragraph_cases = failing_rows(paragraphs, paragraph_model)

    source_of = dict(zip(articles["article_id"], articles["source_uri"], strict=True))
    hash_of = dict(zip(articles["article_id"], articles["content_hash"], strict=True))
    rejections: dict[tuple[str, str, str], Rejection] = {}
    bad_ids: set[str] = set()
    for table, frame, cases in (
        ("articles", articles, article_cases),
        ("paragraphs", paragraphs, paragraph_cases),
    ):
        for _, case in cases.iterrows():
            row = int(case["index"])
            article_id = frame.at[row, "article_id"]
            bad_ids.add(article_id)
            reason, detail, column = _describe(table, case)
            excerpt = str(frame.at[row, column])[:200] if column in frame.columns else None
            rejections.setdefault(
                (table, str(row), reason),
                Rejection(
                    source_uri=source_of.get(article_id, article_id),
                    stage="validate",
                    reason_code=reason,
                    detail=detail,
                    field=column,
                    excerpt=excerpt,
                    content_hash=hash_of.get(article_id),
                ),
            )
    if not bad_ids:
        # Every row passed: the frames pandera returned are already coerced and checked.
        return checked_articles, checked_paragraphs, []
    keep_articles = ~articles["article_id"].isin(bad_ids)
    # Paragraphs survive only beside a surviving article: no orphans reach the warehouse.
    keep_paragraphs = paragraphs["article_id"].isin(set(articles.loc[keep_articles, "article_id"]))
    valid_articles = article_model.validate(checked_articles[keep_articles].reset_index(drop=True))
    valid_paragraphs = paragraph_model.validate(checked_paragraphs[keep_paragraphs].reset_index(drop=True))
    return valid_articles, valid_paragraphs, list(rejections.values())
