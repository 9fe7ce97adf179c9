"""A self-signed certificate and its key for tests (made once with openssl; never trusted).

``openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650
-subj /CN=example.com -addext subjectAltName=DNS:example.com,DNS:www.example.com,\
DNS:*.dev.example.com``; the expected values are what
``openssl x509 -noout -dates -fingerprint -sha256`` printed.
"""

CERTIFICATE = """\
-----BEGIN CERTIFICATE-----
MIIBwDCCAWWgAwIBAgIUd0c4uFn+tsdJNXG7tqNu7h1kMr8wCgYIKoZIzj0EAwIw
FjEUMBIGA1UEAwwLZXhhbXBsZS5jb20wHhcNMjYxMTI5MTgyOTIwWhcNMzYxMTI2
MTgyOTIwWjAWMRQwEgYDVQQDDAtleGFtcGxlLmNvbTBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABN/t7cb6RWZmwH7rc/HHRm7JhA9uyuWzyo7WAN9009o53NS+GjB1
+I/5tZUMrcYOILVfQnPj1Y0K3aLJeRkHuUajgZAwgY0wHQYDVR0OBBYEFABWlqoe
JWgv6iziCNWoJwEDPsF6MB8GA1UdIwQYMBaAFABWlqoeJWgv6iziCNWoJwEDPsF6
MA8GA1UdEwEB/wQFMAMBAf8wOgYDVR0RBDMwMYILZXhhbXBsZS5jb22CD3d3dy5l
eGFtcGxlLmNvbYIRKi5kZXYuZXhhbXBsZS5jb20wCgYIKoZIzj0EAwIDSQAwRgIh
ALOXQ1EueIyDbN7xDpjToM5QUzwZcbpKu3IPIjKjK9SQAiEAilPvoETFFvypCxjt
MWWrd7SBwOP3yzWIPf2vwy+TbsQ=
-----END CERTIFICATE-----
"""

PRIVATE_KEY = """\
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQguG1MUwLMp6ieruSL
t+GFfVli5p06k63HJcuQ34E9SZmhRANCAATf7e3G+kVmZsB+63Pxx0ZuyYQPbsrl
s8qO1gDfdNPaOdzUvhowdfiP+bWVDK3GDiC1X0Jz49WNCt2iyXkZB7lG
-----END PRIVATE KEY-----
"""

DOMAIN_NAMES = ["example.com", "www.example.com", "*.dev.example.com"]
NOT_VALID_BEFORE = "2026-11-29T18:29:20+00:00"
NOT_VALID_AFTER = "2036-11-26T18:29:20+00:00"
FINGERPRINT = (
    "23:f7:e5:60:9d:7e:ed:d7:cb:bc:47:42:aa:60:da:ec:"
    "1c:7f:64:65:06:f5:25:b6:13:05:a4:ed:0a:0f:aa:7f"
)
