# Varnish in front of the Tovani application nodes, purged by surrogate key (vmod_xkey).
#
# Debian: apt-get install varnish varnish-modules (xkey is in varnish-modules). Every public
# answer names its keys in Surrogate-Key (README "Surrogate keys"); this file stores them as
# xkey, and a PURGE from an address in `purgers` with the keys in `xkey-purge` removes every
# object carrying any of them. Run the app with PURGE_URLS=varnish+http://VARNISH_ADDRESS.
#
# Objects are kept for the app's s-maxage (PAGE_SHARED_MAX_AGE); a purge removes them at once,
# so the app may set it long. The admin and the partner API are never cached. `make cluster`
# runs this file, changing only the nodes' addresses.

vcl 4.1;

import directors;
import xkey;

backend node1 {
    .host = "127.0.0.1";
    .port = "8001";
    .probe = { .url = "/robots.txt"; .interval = 1s; .timeout = 1s; .window = 3; .threshold = 2; .initial = 3; }
}

backend node2 {
    .host = "127.0.0.1";
    .port = "8002";
    .probe = { .url = "/robots.txt"; .interval = 1s; .timeout = 1s; .window = 3; .threshold = 2; .initial = 3; }
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_init {
    new nodes = directors.round_robin();
    nodes.add_backend(node1);
    nodes.add_backend(node2);
}

sub vcl_recv {
    set req.backend_hint = nodes.backend();
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Not allowed to purge"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Name the keys to purge in xkey-purge"));
        }
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged + " objects"));
    }
    # The editors' side (change the path if ADMIN_PATH is set) and the partner API, which
    # authenticates each caller, are never shared.
    if (req.url ~ "^/(admin|api)/" || (req.method != "GET" && req.method != "HEAD")) {
        return (pass);
    }
    # Public answers read no cookie; dropping them lets every visitor share one copy.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
    }
    if (beresp.status >= 500) {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    if (beresp.status == 404) {
        set beresp.ttl = 10s;
    }
    set beresp.grace = 0s;
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    unset resp.http.xkey;
}
