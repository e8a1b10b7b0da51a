"""上一篇/下一篇/相关文章 of a column's newest articles, found in its newest rows (news/listing.py) instead of asked
of the database: the same three as Article.objects.around gives, for every article that is among them."""

from datetime import timedelta

from django.utils import timezone

from news.models import Article, around_in


def ids(found):
    previous, following, related = found
    return (previous and previous.pk, following and following.pk, [row.pk for row in related])


def test_the_newest_rows_give_every_article_the_neighbours_the_database_gives(make_article, column):
    moment = timezone.now() - timedelta(hours=1)
    for n in range(9):  # two pairs published at the same minute: told apart by id, as the database does
        make_article(title=f"第{n}篇", publish_at=moment - timedelta(minutes=n // 2 * 2))
    make_article(title="草稿不算", status=Article.Status.DRAFT)
    for count in (5, 9, 20):  # cut short, just all, and room to spare
        checked = 0
        newest = Article.objects.newest_of_column(column.pk, count)
        for article in Article.objects.published():
            found = around_in(newest, article.pk, count)
            if found is not None:
                assert ids(found) == ids(Article.objects.around(article))
                checked += 1
        among = len(newest) - (len(newest) == count)  # a full list: all but the last (its older neighbour is out)
        assert checked == (among if count > 5 else 0)  # 5 rows: too few for five 相关文章 besides itself


def test_a_new_article_in_the_column_is_the_next_of_the_newest_at_once_without_a_query(
    client, make_article, column, django_capture_on_commit_callbacks, django_assert_num_queries
):
    make_article(title="前天的一篇", publish_at=timezone.now() - timedelta(days=2))
    newest = make_article(title="昨天的一篇", publish_at=timezone.now() - timedelta(days=1))
    url = newest.get_absolute_url()
    assert "下一篇：没有了" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the editor's save, committed
        make_article(title="今天刚发的一篇", publish_at=timezone.now() - timedelta(minutes=1))
    client.get(url, {"v": 1})  # its 阅读数 into the cache
    with django_assert_num_queries(0):
        page = client.get(url, {"v": 2}).content.decode()
    assert "今天刚发的一篇</a></p>" in page and "下一篇：没有了" not in page
