package io.whatsappqueue.redis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

import javax.net.ssl.TrustManagerFactory;

import io.whatsappqueue.config.ConfigException;

/**
 * Trust in the CA certificates of a PEM file (REDIS_TLS_CA_FILE), built in memory: Redisson's trust-store
 * option wants a key store file, managed Redis services hand out a PEM CA.
 */
final class PemTrust {
    private PemTrust() {
    }

    /** Throws ConfigException naming REDIS_TLS_CA_FILE when the file is missing or holds no certificate. */
    static TrustManagerFactory of(String pemFile) {
        Path path = Path.of(pemFile);
        try (InputStream in = Files.newInputStream(path)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new ConfigException("REDIS_TLS_CA_FILE: " + path + " holds no PEM certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf;
        } catch (IOException e) {
            throw new ConfigException("REDIS_TLS_CA_FILE: cannot read " + path + " (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("REDIS_TLS_CA_FILE: " + path + " is not a PEM certificate (" + e.getMessage() + ")", e);
        }
    }
}
