from django.core.paginator import Paginator
from django.db.models import QuerySet


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


def paginate(request, items, per_page, count=None):
    """The requested page of `items`; a missing, malformed or out-of-range number gives a real page.

    `page_obj.page_range` is the elided range around the current page, for the pagination component.
    `count`, when given, is how many `items` there are, so the paginator need not count them: a
    listing passes one remembered until the next purge (`page_cache.count(queryset)`), since counting
    reads every matching row and the count only changes when something is published.
    """
    paginator = ListingPaginator(items, per_page)
    if count is not None:
        paginator.count = count
    page_obj = paginator.get_page(request.GET.get("page"))
    page_obj.page_range = paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    return page_obj
