from django.core.paginator import Paginator
from django.db.models import QuerySet

from . import page_cache


class ListingPaginator(Paginator):
    """A paginator whose last page costs what its first does.

    The database reads and throws away every row before an OFFSET, so the last of 800 pages would
    read the whole listing. A page in the second half is read from the other end instead: in
    reverse order, at a small offset, and turned back round.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if isinstance(self.object_list, QuerySet) and self.object_list.ordered and bottom > self.count // 2:
            from_end = self.object_list.reverse()[self.count - top : self.count - bottom]
            return self._get_page(list(from_end)[::-1], number, self)
        return self._get_page(self.object_list[bottom:top], number, self)


def paginate(request, items, per_page):
    """The requested page of `items`; a missing, malformed or out-of-range number gives a real page.

    `page_obj.page_range` is the elided range around the current page, for the pagination component.
    A queryset's count is remembered until the next purge (see `page_cache.remember`).
    """
    paginator = ListingPaginator(items, per_page)
    if isinstance(items, QuerySet):
        # Counting reads every matching row; the count only changes when something is published.
        paginator.count = page_cache.remember("count:" + page_cache.query_key(items), items.count)
    page_obj = paginator.get_page(request.GET.get("page"))
    page_obj.page_range = paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    return page_obj
