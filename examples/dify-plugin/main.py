from dify_plugin import DifyPluginEnv, Plugin

# answers stream for as long as the app writes; give them time
plugin = Plugin(DifyPluginEnv(MAX_REQUEST_TIMEOUT=300))

if __name__ == "__main__":
    plugin.run()
