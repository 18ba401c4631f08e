from django.conf import settings


def site(request):
    return {"SITE_NAME": settings.SITE_NAME, "CLINIC_NAME": settings.CLINIC_NAME}
