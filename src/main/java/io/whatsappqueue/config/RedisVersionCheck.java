package io.whatsappqueue.config;

/** whatsapp-queue needs Redis 7.0 or newer (XAUTOCLAIM cleaning deleted entries, consumer idle times). */
public final class RedisVersionCheck {
    private RedisVersionCheck() {
    }

    /** @throws ConfigException naming REDIS_URL when {@code version} is older than 7.0 */
    public static void require(String version) {
        require(version, "REDIS_URL");
    }

    /**
     * @param variable the setting that chose this Redis (REDIS_URL, REDIS_SENTINEL or REDIS_CLUSTER), named first
     * @throws ConfigException when {@code version} is older than 7.0
     */
    public static void require(String version, String variable) {
        int major;
        try {
            major = Integer.parseInt(version.split("\\.")[0]);
        } catch (NumberFormatException e) {
            major = 0;
        }
        if (major < 7) {
            throw new ConfigException(variable + ": Redis " + version + " is too old; whatsapp-queue needs Redis 7.0 or newer"
                    + " (XAUTOCLAIM deleted-entry handling, consumer idle times)");
        }
    }
}
