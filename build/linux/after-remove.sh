#!/bin/bash
# deb postrm for Newborn Desk: electron-builder's own steps, and the udev rule removed on remove/purge (kept on
# upgrade: the new package's postinst replaces it). Desk data in users' profiles and IT's /etc/newborn-desk/config.json
# are never deleted here.

if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/${executable}' || true
else
    rm -f '/usr/bin/${executable}'
fi

case "$1" in
    remove|purge)
        if [ -f /etc/udev/rules.d/70-newborn-desk.rules ]; then
            rm -f /etc/udev/rules.d/70-newborn-desk.rules
            if hash udevadm 2>/dev/null; then
                udevadm control --reload-rules || true
            fi
        fi
        ;;
esac

exit 0
