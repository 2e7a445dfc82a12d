# Uncaught user-defined exception with chaining: the last stderr line is "module.Name: message".
class ConfigError(Exception):
    pass
def load(key):
    settings = {"a": 1}
    try:
        return settings[key]
    except KeyError as e:
        raise ConfigError("missing setting " + repr(key)) from e
print(load("a"))
print(load("b"))
