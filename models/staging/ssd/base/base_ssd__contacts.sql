{{ ssd_base('ssd_contacts') }}
