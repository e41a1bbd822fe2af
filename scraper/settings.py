"""Scrapy settings of Archiwum, grouped by stage; project settings are prefixed ARCHIWUM_.

Override any of them on the command line: `archiwum crawl -s DOWNLOAD_DELAY=0 ...`.
"""

BOT_NAME = "archiwum"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- Archiwum -------------------------------------------------------------------------------
ARCHIWUM_CONTACT = "contact not set"  # in the User-Agent: an e-mail or URL portal operators can use
ARCHIWUM_DB = "archive.db"

# --- Politeness: real municipal servers are small ---------------------------------------------
USER_AGENT = "Archiwum/0.1 (+{contact})"  # {contact}: ARCHIWUM_CONTACT
ROBOTSTXT_OBEY = True  # and its Crawl-delay, and Retry-After on 429/503 (scraper/crawl/politeness.py)
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Scrapy's list without DownloadTimeoutError: a page that has not come within DOWNLOAD_TIMEOUT
# (a server that drips it at a byte a second) holds a slot once, not 1 + RETRY_TIMES times
# (two such links took 117 s of a 145 s crawl). The next crawl asks again.
RETRY_EXCEPTIONS = [
    "scrapy.exceptions.CannotResolveHostError",
    "scrapy.exceptions.DownloadConnectionRefusedError",
    "scrapy.exceptions.DownloadFailedError",
    "scrapy.exceptions.ResponseDataLossError",
    "twisted.internet.error.ConnectionDone",
    "twisted.internet.error.ConnectError",
    "twisted.internet.error.ConnectionLost",
    "builtins.OSError",
    "scrapy.core.downloader.handlers.http11.TunnelError",
]
REDIRECT_MAX_TIMES = 10
URLLENGTH_LIMIT = 1000
DEPTH_PRIORITY = 1  # breadth first: listings before deep links
# Breadth first, thousands of requests wait at once; they wait pickled (scraper/crawl/frontier.py).
SCHEDULER_MEMORY_QUEUE = "scraper.crawl.frontier.CompactLifoQueue"
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy's remote control (scrapy/extensions/remote_control.py, on by default in Scrapy 2.19) serves an
# HTTP endpoint that runs Python in the crawl, its token in the user's home: never on a server.
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
LOG_FORMATTER = "scraper.crawl.logformatter.ArchiwumLogFormatter"

# --- Spider → pipelines -----------------------------------------------------------------------
# The item stages, in order; one owner builds, runs and closes them (scraper/crawl/stages.py).
ARCHIWUM_STAGES = [
    "pipelines.clean.CleanPipeline",
    "pipelines.dates.DatesPipeline",
    "pipelines.dedupe.DedupePipeline",
    "pipelines.store.StorePipeline",
]
ITEM_PIPELINES = {"scraper.crawl.stages.StageChainPipeline": 100}
# `archiwum crawl` runs the stage chain in a second process (scraper/crawl/stage_process.py), so
# fetching and the stages use one core each; False runs it in the crawl process, as plain Scrapy does.
ARCHIWUM_STAGE_PROCESS = True
# Meanwhile each fetched response waits in the crawl process until its item is through them.
# The waiting pages are the stage process's reserve while the crawl process is busy elsewhere;
# on bench/crawl.py 500 KB of waiting bodies (~100 pages) gave 184 pages/s at a peak RSS of
# 247 MB, 100 KB 144-157 pages/s at 233 MB. (Before spiders/portal.py parsed pages with a
# selector of their own, each waiting page held its lxml tree too, ~170 KB: Scrapy's default
# of 5 MB held ~1,100 pages and 190 MB.)
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 500_000
# A page the stage process has not finished within this many seconds is given up (error kind
# `page_too_slow`, its URL in the log) and the stage process restarted: no page can stall a crawl.
ARCHIWUM_PAGE_TIME_LIMIT = 30.0

# --- Crawl jobs: encodings, raw capture, incremental crawls, the crawls table -----------------
# Downloader middlewares see responses from high numbers to low: the WARC writer (890) gets the
# bytes as received, the encoding check (585) after decompression and redirects. Requests go
# from low to high: a redirect off the portal is dropped (60) before robots.txt is asked (100).
# The conditional requests (840) sit below Scrapy's downloader stats (850), which so count the
# bytes a 304 really cost, not those of the page replayed in its place.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scraper.crawl.robots.RobotsTxtOffsite": 50,  # the robots.txt of an attachment's host too
    "scraper.crawl.redirects.PortalRedirectMiddleware": 60,
    # Scrapy's own leaves requests that wait for robots.txt unchecked (scraper/crawl/robots.py)
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "scraper.crawl.robots.EveryWaiterRobotsTxtMiddleware": 100,
    "scraper.crawl.politeness.Politeness": 560,  # sees a 429's Retry-After before the retry (550)
    "scraper.crawl.encoding.EncodingMiddleware": 585,
    "scraper.crawl.conditional.ConditionalRequests": 840,
    "scraper.crawl.warc.WarcMiddleware": 890,
}
# Crawler traps are not a middleware: the spider asks scraper/traps.py before a link spends the budget.
SPIDER_MIDDLEWARES = {
    "scraper.crawl.incremental.IncrementalMiddleware": 810,
}
EXTENSIONS = {"scraper.crawl.log.CrawlLog": 500, "scraper.crawl.health.SourceCounts": 505,
              "scraper.crawl.memory.MemoryUpkeep": 510, "scraper.crawl.fates.PageFates": 520,
              "scraper.crawl.interrupt.HardStop": 530}
ARCHIWUM_CRAWL_LOG_ENABLED = True  # the crawls row and the progress line (off in distributed workers)
ARCHIWUM_ENCODING_ENABLED = True  # the Polish legacy-charset check of every response
ARCHIWUM_INCREMENTAL = True  # skip known articles and leaf pages (False, or --full: fetch them)
ARCHIWUM_CONDITIONAL = True  # If-None-Match / If-Modified-Since for pages fetched before (not with --full)
ARCHIWUM_WARC_ENABLED = True  # keep every raw response in a WARC file
ARCHIWUM_MALLOC_TRIM_INTERVAL = 5.0  # seconds between heap trims (scraper/crawl/memory.py)
ARCHIWUM_CRAWL_LOG_INTERVAL = 10.0  # seconds between refreshes of the running crawl's row
ARCHIWUM_FULL = False  # True (`--full`): fetch known articles again
ARCHIWUM_PROGRESS = "auto"  # the live progress line: on a terminal only; True / False force it
ARCHIWUM_RECHECK_DAYS = 30  # known articles are fetched again after this many days
ARCHIWUM_WARC_DIR = None  # None: warc/ next to ARCHIWUM_DB
# Who counts the pages followed against each source's `max_pages` (scraper/crawl/budget.py);
# distributed workers count per crawl in Redis (scraper.distributed.budget.SharedPageBudget).
ARCHIWUM_PAGE_BUDGET = "scraper.crawl.budget.PageBudget"

# --- Attachments: documents articles link (scraper/attachments/) --------------------------------
ARCHIWUM_ATTACHMENTS = True  # fetch linked documents on the portal's hosts and read their text
# documents an article's own text links on other hosts too (scraper/attachments/fetch.py `where`)
ARCHIWUM_ATTACHMENT_OTHER_HOSTS = True
# who decides and notes the crawl's attachment requests: the crawl process, or (`archiwum worker`)
# scraper.distributed.attachments.SharedAttachmentFetcher, with the budget and notes in Redis
ARCHIWUM_ATTACHMENT_FETCHER = "scraper.attachments.fetch.AttachmentFetcher"
ARCHIWUM_ATTACHMENT_TYPES = ["pdf", "doc", "docx", "odt", "rtf", "xls", "xlsx", "ods", "tif", "tiff"]
ARCHIWUM_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024  # one file; larger ones are not downloaded
ARCHIWUM_ATTACHMENT_PORTAL_BYTES = 500 * 1024 * 1024  # all of one portal's files in one crawl
ARCHIWUM_ATTACHMENT_READ_AFTER_CRAWL = True  # `archiwum crawl` reads the new documents' text at its end
ARCHIWUM_ATTACHMENT_WORKERS = 1  # documents read at once (a process each)
ARCHIWUM_ATTACHMENT_TIMEOUT = 300  # seconds for one document
ARCHIWUM_ATTACHMENT_MEMORY_MB = 1536  # virtual memory (RLIMIT_AS) of one document's reader
ARCHIWUM_OCR_MAX_PAGES = 50  # scanned pages read by OCR in one document; more: the text layer only
ARCHIWUM_OCR_DPI = 300  # page images for OCR

# --- Distributed crawl (`archiwum worker` / `archiwum writer`, scraper/distributed/) -----------
ARCHIWUM_CRAWL = "archiwum"  # the crawl's name: the prefix of its Redis keys (--crawl)
ARCHIWUM_LEASE_TIMEOUT = 30.0  # seconds a silent worker keeps its requests (--lease-timeout)

# --- Web UI (`archiwum serve -s NAME=VALUE`, scraper/web/clients.py) ----------------------------
ARCHIWUM_WEB_CLIENT_CONCURRENCY = 4  # requests one client may have in progress at once (0: no limit)
ARCHIWUM_WEB_CLIENT_RATE = 600  # requests a minute one client may send, in bursts of a sixth of it (0: no limit)
ARCHIWUM_WEB_TRUSTED_PROXY = ""  # reverse proxy address(es), comma-separated, whose X-Forwarded-For names the client
