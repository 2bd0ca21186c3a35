aws guardduty create-detector \
    --enable
