from publishing import registry
from tests.leaflets.models import Leaflet
from tests.leaflets.views import LEAFLET


def register():
    registry.register(Leaflet, name="leaflet", route="leaflets:detail", renderings=[LEAFLET])
