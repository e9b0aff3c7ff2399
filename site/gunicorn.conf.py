"""gunicorn settings for Newsroom: `gunicorn -c site/gunicorn.conf.py`.

Everything that differs between machines comes from the environment (see
site/.env.example). The app listens on loopback by default: Varnish on the same
machine is its only client. On several app servers, bind the private address
Varnish reaches (GUNICORN_BIND=10.0.0.11:8000), never a public one.
"""

import multiprocessing
import os

wsgi_app = "newsroom.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request holds one, so about two per core keeps the CPU busy
# while others wait on PostgreSQL.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so a slow leak never grows for long.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = 100

# Access log to stdout (journald or the platform's log); "-" is stdout, a path a file.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The reader's address is in X-Forwarded-For (set by Varnish); %(L)s is seconds taken.
access_log_format = '%({x-forwarded-for}i)s %(h)s "%(r)s" %(s)s %(b)s %(L)ss "%(f)s" "%(a)s"'

# Only these addresses may say, through X-Forwarded-Proto, that a request came in
# over https (Varnish and the TLS proxy in front of it).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# gunicorn 25.1+ opens a control socket at one path per user; a second
# instance on the machine (make serve beside the service) would take it over.
# systemd restarts and reloads the service instead.
control_socket_disable = True
