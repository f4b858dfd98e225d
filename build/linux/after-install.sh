#!/bin/bash
# deb postinst for Newborn Desk: electron-builder's own steps (command link, chrome-sandbox, desktop database),
# then the udev rule that lets the desk user open the ID-card readers and scanners (build/linux/70-newborn-desk.rules),
# and a udev reload so devices already plugged in get the new permissions without a reboot.
# ${executable} and ${sanitizedProductName} are filled in by electron-builder.

if type update-alternatives >/dev/null 2>&1; then
    if [ -L '/usr/bin/${executable}' -a -e '/usr/bin/${executable}' -a "`readlink '/usr/bin/${executable}'`" != '/etc/alternatives/${executable}' ]; then
        rm -f '/usr/bin/${executable}'
    fi
    update-alternatives --install '/usr/bin/${executable}' '${executable}' '/opt/${sanitizedProductName}/${executable}' 100 || ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
else
    ln -sf '/opt/${sanitizedProductName}/${executable}' '/usr/bin/${executable}'
fi

if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    chmod 4755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
else
    chmod 0755 '/opt/${sanitizedProductName}/chrome-sandbox' || true
fi

if hash update-mime-database 2>/dev/null; then
    update-mime-database /usr/share/mime || true
fi
if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi

# The machine-wide config folder IT fills in (the desk reads /etc/newborn-desk/config.json).
mkdir -p /etc/newborn-desk
chmod 0755 /etc/newborn-desk
if [ ! -e /etc/newborn-desk/config.example.json ] || [ /opt/${sanitizedProductName}/resources/config.example.json -nt /etc/newborn-desk/config.example.json ]; then
    install -m 0644 '/opt/${sanitizedProductName}/resources/config.example.json' /etc/newborn-desk/config.example.json || true
    install -m 0644 '/opt/${sanitizedProductName}/resources/config.schema.json' /etc/newborn-desk/config.schema.json || true
fi

# udev: readers and scanners usable by the desk user, then reload the rules and re-trigger USB/HID/serial devices.
RULES_SOURCE='/opt/${sanitizedProductName}/resources/linux/70-newborn-desk.rules'
RULES_TARGET='/etc/udev/rules.d/70-newborn-desk.rules'
if [ -f "$RULES_SOURCE" ]; then
    install -m 0644 "$RULES_SOURCE" "$RULES_TARGET"
    if hash udevadm 2>/dev/null && ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; }; then
        udevadm control --reload-rules || true
        udevadm trigger --subsystem-match=usb --subsystem-match=hidraw --subsystem-match=tty --action=change || true
    fi
fi

exit 0
