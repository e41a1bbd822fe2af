"""Log lines of the crawl: a page that is not an article is routine, not a warning."""
import logging

from scrapy.logformatter import LogFormatter


class ArchiwumLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider):
        return {
            "level": logging.DEBUG,
            "msg": "not stored: %(reason)s",
            "args": {"reason": exception},
        }
