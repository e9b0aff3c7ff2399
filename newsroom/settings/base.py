"""Settings shared by every environment; the per-environment modules override them."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "core",
    "home",
    "news",
    "pages",
    "wordpress",
    "desk",
    "alerts",
    "readership",
    "livedesk",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.api.v2",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    # Django's task framework (backport) and its database queue (core.tasks).
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    # django-comments-xtd extends django_comments and must come first.
    "django_comments_xtd",
    "django_comments",
    # After django_comments_xtd: its ready() connects a signal this app removes.
    "discussion",
    "readers",
    "newsletters",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # NUL and other control characters are refused before anything reads the URL.
    "core.middleware.RefuseControlCharactersMiddleware",
    # The page-view beacon needs none of what follows (readership.middleware).
    "readership.middleware.BeaconMiddleware",
    # Answers anonymous readers before sessions load; off unless PAGE_CACHE=on.
    "core.page_cache.PageCacheMiddleware",
    # Above the session, CSRF and message middleware, so it sees the cookies they set.
    "core.caching.CacheControlMiddleware",
    # Readers' sessions ride in their own cookie, read only under READER_SESSION_PATHS.
    "readers.sessions.ReaderSessionCookieMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A new page's form sent twice (autosave racing "Save draft") makes one page.
    "desk.new_page_saves.OneNewPagePerEditorForm",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside the CSP middleware: the page's accent colour <style> allowed by its hash (core.brand).
    "core.brand.InlineStyleHashMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # The request's Wagtail site and home page, kept between requests (core.fragments).
    "core.sites.KeptSiteMiddleware",
]

# Reader pages run no inline script or style: only files from this site (and
# the one <style> with the site's accent colour, allowed by its hash: core.brand).
# Embeds (video players) come in frames and may show pictures from their
# providers. Wagtail's admin relies on inline code and has no policy here.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": ["https:"],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
# Browser features no reader page uses, refused to the page and anything it embeds.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite in the project directory unless DATABASE_URL names another database
# (postgres://user@host:5432/name uses psycopg 3).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        # A persistent connection the database dropped (restart, failover, a
        # terminated backend) is replaced before a request uses it, not a 500.
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock when a transaction starts instead of failing
    # with "database is locked" when a read turns into a write mid-transaction.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# django.contrib.sites backs reader comments (django-comments-xtd); its domain
# is kept equal to the default Wagtail site's hostname.
SITE_ID = 1

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Readers sign in through Wagtail's /_util/login/ (login-restricted pages); a
# missing or off-site `next` lands on the front page, not Django's unrouted default.
LOGIN_REDIRECT_URL = "/"

WAGTAIL_SITE_NAME = "Newsroom"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail's database backend, fed only the words of a query (core.search_backend).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "core.search_backend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Documents reach readers only through Wagtail's document view, which checks
# restricted collections (core.media): from local disk the app streams the file.
# With object storage (production settings) the view redirects to a signed
# address that expires after this many seconds.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
NEWSROOM_DOCUMENT_URL_EXPIRE = 60
# Pictures are served as WebP with a copy in the original's format for the
# rest (core.images); an original in WebP or AVIF gets JPEG copies instead, which
# every browser and link-preview crawler reads (transparency turns white, the
# page's background).
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"webp": "jpeg", "avif": "jpeg"}
# Wagtail's image forms with each picture's caption, credit, source and licence
# (core.image_credits; docs/pictures.md).
WAGTAILIMAGES_IMAGE_FORM_BASE = "core.image_forms.ImageForm"

# The machine the site runs on may have no route to the internet: no release
# feed look-ups and no gravatar images in the admin.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Wagtail's own comments are notes between editors inside the admin; reader
# comments on the public site are a different feature.
WAGTAILADMIN_COMMENTS_ENABLED = True

NEWSROOM_ARTICLES_PER_PAGE = 20
# Search pages through at most this many results, the newest (core.search.NewestMatches).
NEWSROOM_SEARCH_MAX_RESULTS = 500
NEWSROOM_RELATED_ARTICLES = 4
# How often an open live blog asks for new entries; its answer is cacheable that long.
NEWSROOM_LIVE_BLOG_POLL_SECONDS = 10
# The site-wide feeds every page's <head> links to: (label, MIME type, URL name).
# Proxies whose X-Forwarded-For entries are believed (core.client_address):
# addresses or networks. Varnish and the TLS proxy on the same machine are on
# loopback; production reads TRUSTED_PROXIES.
NEWSROOM_TRUSTED_PROXIES = ["127.0.0.0/8", "::1"]
NEWSROOM_SITE_FEEDS = [
    ("RSS", "application/rss+xml", "rss_feed"),
    ("Atom", "application/atom+xml", "atom_feed"),
]

# Reader comments (django-comments-xtd). The tunable limits (depth, threads per
# page, spam thresholds) are site settings in the admin; these are the fixed parts.
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_FORM_CLASS = "discussion.forms.ReaderCommentForm"
COMMENT_MAX_LENGTH = 3000
# The hard ceiling for thread depth; the "Reader comments" site setting picks
# the depth in force (default 3) below it.
READER_COMMENTS_MAX_DEPTH_LIMIT = 8
# Every page type with reader comments threads up to the ceiling; comments on
# other models are refused by the discussion app's views before this applies.
COMMENTS_XTD_MAX_THREAD_LEVEL = READER_COMMENTS_MAX_DEPTH_LIMIT
COMMENTS_XTD_LIST_ORDER = ("thread_id", "order")
COMMENTS_XTD_APP_MODEL_OPTIONS = {
    "default": {
        "who_can_post": "all",
        # Flags and feedback go through the discussion app, which lets
        # anonymous readers flag too.
        "allow_flagging": False,
        "allow_feedback": False,
        "show_feedback": False,
    }
}
# Emails are sent in the request; a thread per email hides failures.
COMMENTS_XTD_THREADED_EMAILS = False
COMMENTS_XTD_SALT = os.environ.get("COMMENTS_XTD_SALT", "reader-comments").encode()
# Email confirmation of anonymous comments: on in production, off elsewhere.
COMMENTS_XTD_CONFIRM_EMAIL = False
# Every e-mail is queued (core.mail); the worker sends it with NEWSROOM_EMAIL_BACKEND.
EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
NEWSROOM_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
COMMENTS_XTD_FROM_EMAIL = DEFAULT_FROM_EMAIL
COMMENTS_XTD_CONTACT_EMAIL = os.environ.get("COMMENTS_CONTACT_EMAIL", DEFAULT_FROM_EMAIL)

# Breaking-news alerts by Web Push (alerts): `manage.py generate_vapid_keys` makes the pair.
# Unset in development, a pair is made once and kept in .vapid-keys.json (git-ignored).
WEBPUSH_VAPID_PUBLIC_KEY = os.environ.get("WEBPUSH_VAPID_PUBLIC_KEY", "")
WEBPUSH_VAPID_PRIVATE_KEY = os.environ.get("WEBPUSH_VAPID_PRIVATE_KEY", "")
WEBPUSH_VAPID_SUBJECT = os.environ.get("WEBPUSH_VAPID_SUBJECT", f"mailto:{DEFAULT_FROM_EMAIL}")
# The only hosts the server posts alerts to: browsers' push services (a leading dot: any subdomain).
ALERTS_PUSH_SERVICE_HOSTS = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    ".notify.windows.com",
    ".push.apple.com",
)
# Akismet checks comments only when a key is configured.
AKISMET_API_KEY = os.environ.get("AKISMET_API_KEY", "")
AKISMET_SITE_URL = os.environ.get("AKISMET_SITE_URL", WAGTAILADMIN_BASE_URL)

# HTTP caching (core.caching): what anonymous readers' pages may be kept for, in
# seconds. Browsers keep a page briefly; Varnish or a CDN (s-maxage) longer, since
# publishing purges it there; stale copies bridge a slow or failed origin.
CACHE_MAX_AGE = int(os.environ.get("CACHE_MAX_AGE", "60"))
CACHE_S_MAXAGE = int(os.environ.get("CACHE_S_MAXAGE", "600"))
CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("CACHE_STALE_WHILE_REVALIDATE", "30"))
CACHE_STALE_IF_ERROR = int(os.environ.get("CACHE_STALE_IF_ERROR", "86400"))
# Paths never cached anywhere, whoever asks: editors' tools and reader-comment actions.
CACHE_NEVER_PATHS = ("/admin/", "/django-admin/", "/comments/", "/healthz", "/account/")
# Reader accounts (readers.sessions): a signed-in reader's session cookie, which
# Varnish strips from cacheable pages, and the only paths where the app reads it.
READER_SESSION_COOKIE_NAME = "reader_session"
READER_SESSION_PATHS = ("/account/", "/comments/")
# The origin page cache (core.page_cache) for sites without Varnish or a CDN.
PAGE_CACHE = os.environ.get("PAGE_CACHE", "off").lower() in {"on", "true", "1"}
PAGE_CACHE_ALIAS = "default"
# Page fragments kept between renderings (core.fragments, docs/fragment-cache.md):
# how long at most, and the largest one kept (larger ones are rendered every time).
FRAGMENT_CACHE_TIMEOUT = int(os.environ.get("FRAGMENT_CACHE_TIMEOUT", "600"))
FRAGMENT_CACHE_MAX_BYTES = int(os.environ.get("FRAGMENT_CACHE_MAX_BYTES", str(256 * 1024)))

# Frontend cache purging (core.purging): Varnish's address, or several
# comma-separated (one per Varnish server). Unset: no purge is sent.
# Wagtail's frontend_cache app is not installed: its own receivers would purge
# only the page itself, and core.purging already sends that URL with the rest.
VARNISH_URL = os.environ.get("VARNISH_URL", "")
WAGTAILFRONTENDCACHE = {
    f"varnish-{number}": {"BACKEND": "core.purging.TimeoutHTTPBackend", "LOCATION": url.strip()}
    for number, url in enumerate((u for u in VARNISH_URL.split(",") if u.strip()), start=1)
}

# Background work (core.tasks): a request only enqueues, a worker runs it
# (`manage.py db_worker` here; production's RQ worker on Redis when REDIS_URL is set).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Finished tasks kept in the database queue before `manage.py prune_tasks` deletes them
# (days); failed ones longer, for the Background tasks report.
# A database-queue task running longer than this (seconds) on a worker of another
# host is taken as abandoned by a dead worker and queued again (core.task_queue).
NEWSROOM_TASK_TIMEOUT = int(os.environ.get("TASK_TIMEOUT", "600"))
NEWSROOM_TASKS_KEEP_DAYS = int(os.environ.get("TASKS_KEEP_DAYS", "7"))
NEWSROOM_TASKS_KEEP_FAILED_DAYS = int(os.environ.get("TASKS_KEEP_FAILED_DAYS", "30"))
# Story pictures made by a task on upload and publish (core.renditions).
NEWSROOM_PREPARE_RENDITIONS = True
# /healthz/worker answers 503 once the oldest task due has waited this long.
NEWSROOM_WORKER_MAX_QUEUE_AGE = int(os.environ.get("WORKER_MAX_QUEUE_AGE", "300"))

# Page views per story per hour (readership): counted in Redis, flushed to the
# database every minute (`manage.py flush_page_views`). Without a Redis URL
# the beacon still answers and nothing is counted.
READERSHIP_REDIS_URL = os.environ.get("READERSHIP_REDIS_URL") or os.environ.get("REDIS_URL", "")
READERSHIP_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX", "") + "readership:"
READERSHIP_REDIS_TIMEOUT = float(os.environ.get("READERSHIP_REDIS_TIMEOUT", "0.2"))
# The admin's WordPress import (wordpress.admin_views): uploads wait here, outside
# MEDIA_ROOT so that no URL serves them, and are removed when the import ends.
WORDPRESS_IMPORT_DIR = Path(os.environ.get("WORDPRESS_IMPORT_DIR") or BASE_DIR / "var" / "wordpress-imports")
WORDPRESS_IMPORT_MAX_UPLOAD_BYTES = int(os.environ.get("WORDPRESS_IMPORT_MAX_UPLOAD_BYTES", 1024**3))
# The uploads zip unpacked, all files together (a zip bomb is refused before unpacking).
WORDPRESS_IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("WORDPRESS_IMPORT_MAX_UNPACKED_BYTES", 8 * 1024**3))
# A running import silent this long (seconds) lost its worker: the admin offers to resume it.
WORDPRESS_IMPORT_STALE_AFTER = int(os.environ.get("WORDPRESS_IMPORT_STALE_AFTER", "600"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
