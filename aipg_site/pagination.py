from django.core.paginator import Paginator


def paginate(request, items, per_page):
    """The requested page of `items`; a missing, malformed or out-of-range number gives a real page.

    `page_obj.page_range` is the elided range around the current page, for the pagination component.
    """
    paginator = Paginator(items, per_page)
    page_obj = paginator.get_page(request.GET.get("page"))
    page_obj.page_range = paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    return page_obj
