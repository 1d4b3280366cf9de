package io.whatsappqueue.stream;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Consumer names of this product start with {@code wq-}, so dead ones can be told apart from other
 * software's consumers and removed. One name per process, stable for its whole life.
 */
public final class ConsumerNames {
    public static final String PREFIX = "wq-";
    private static final String PROCESS = PREFIX + host() + "-" + ProcessHandle.current().pid() + "-"
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));

    private ConsumerNames() {
    }

    public static String ofThisProcess() {
        return PROCESS;
    }

    private static String host() {
        String h;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            h = System.getenv().getOrDefault("HOSTNAME", "host");
        }
        String clean = h.replaceAll("[^A-Za-z0-9_.-]", "");
        return clean.length() > 40 ? clean.substring(0, 40) : clean;
    }
}
