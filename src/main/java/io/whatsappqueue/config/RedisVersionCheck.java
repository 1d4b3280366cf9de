package io.whatsappqueue.config;

/** whatsapp-queue needs Redis 7.0 or newer (XAUTOCLAIM cleaning deleted entries, consumer idle times). */
public final class RedisVersionCheck {
    private RedisVersionCheck() {
    }

    public static void require(String version) {
        int major;
        try {
            major = Integer.parseInt(version.split("\\.")[0]);
        } catch (NumberFormatException e) {
            major = 0;
        }
        if (major < 7) {
            throw new ConfigException("REDIS_URL: Redis " + version + " is too old; whatsapp-queue needs Redis 7.0 or newer"
                    + " (XAUTOCLAIM deleted-entry handling, consumer idle times)");
        }
    }
}
