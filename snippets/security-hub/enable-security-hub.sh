aws securityhub enable-security-hub \
    --enable-default-standards \
    --tags '{"Department": "Security"}'
