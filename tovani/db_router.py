"""The database router: public reads to a replica when tovani.replicas allows it, all else to
the primary. Only the primary is migrated; replicas copy it by streaming replication."""

from tovani import replicas

# The apps whose rows the public read path (conditions.selectors) reads.
PUBLIC_APPS = {"conditions", "reviews", "editorial", "references", "purges", "contenttypes"}


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if model._meta.app_label not in PUBLIC_APPS:
            return replicas.PRIMARY
        return replicas.for_read()

    def db_for_write(self, model, **hints):
        replicas.wrote()
        return replicas.PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == replicas.PRIMARY
