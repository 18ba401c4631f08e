from tovani.site_url import site_context


def site(request):
    return site_context()
