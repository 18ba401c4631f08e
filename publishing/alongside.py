"""What a live page shows beside its signed text, kept out of its stored rendering: a notice to
readers (publishing.notices) and its versions in other languages (publishing.alternates).

Both are brought by the live-pointer lookup with the publication and filled in where the page's
template leaves their places, so setting or clearing one renders nothing again; the page's ETag
names them, and `alongside_changed` lets edge caches be purged at once.
"""

from django.dispatch import Signal

# sent with the page's model as sender and the page as `page`, once its notice or alternates
# changed (inside the transaction that changed them)
alongside_changed = Signal()

# sent with the pages' model as sender, `publications` (live ones, of that model) and `because`
# ("reviewer", "alongside") once their stored renderings were made again (publishing.pipeline.
# render_again), inside the transaction that changed what they show
renderings_remade = Signal()
