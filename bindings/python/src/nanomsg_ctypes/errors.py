"""NanomsgError: what a failed call raises."""


class NanomsgError(OSError):
    """A call returned -1: `errno` is nn_errno(), `strerror` nn_strerror's text."""


def checker(lib):
    """Returns check(rc): rc itself, or NanomsgError when rc is negative."""
    def check(rc):
        if rc < 0:
            code = lib.nn_errno()
            raise NanomsgError(code, lib.nn_strerror(code).decode())
        return rc
    return check
