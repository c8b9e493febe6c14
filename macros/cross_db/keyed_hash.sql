{#
  Pseudonymous key: child_key = HMAC-SHA-256 (RFC 2104) under the pseudonymisation key, of
  la_code, unit separator (chr 31), trimmed source person id; 64 lower-case hex digits.

  The key is put into the DuckDB session variable csc_pseudonym_key by the csc_landing plugin
  (csc.dbt_plugin) from CSC_PSEUDONYM_KEY, so it never appears in compiled SQL, logs or target/.
  A session without the variable stops with an error instead of producing null keys.

  Why HMAC and not sha256(key || id): a prefixed hash of a short id is only as strong as the
  key's secrecy and leaks length-extension structure; HMAC is the keyed hash the standard
  defines. scripts/tests/adversarial/test_input_keyed_hash.py checks this macro against
  Python's hmac module (unicode, empty ids, keys longer than the 64-byte block).
#}
{% macro child_key(la_code, person_id) -%}
    case when {{ person_id }} is not null
         then {{ csc.hmac_sha256_hex(csc.pseudonym_key(), la_code ~ " || chr(31) || trim(" ~ person_id ~ ")") }} end
{%- endmacro %}

{#- The key from the session; an error (not nulls) when it is missing or empty. -#}
{% macro pseudonym_key() -%}
    {{ return(adapter.dispatch('pseudonym_key', 'csc')()) }}
{%- endmacro %}

{% macro duckdb__pseudonym_key() -%}
    (case when coalesce(getvariable('csc_pseudonym_key')::varchar, '') = ''
          then error('csc_pseudonym_key is not set: run through the csc_landing plugin or set the variable')
          else getvariable('csc_pseudonym_key')::varchar end)
{%- endmacro %}

{#
  HMAC-SHA-256 of two text expressions (UTF-8), as lower-case hex (RFC 2104, block size 64):
    K0   = the key, or sha256(key) if the key is longer than 64 bytes, zero-padded to 64 bytes
    HMAC = sha256((K0 xor opad) || sha256((K0 xor ipad) || message)),  ipad 0x36.., opad 0x5c..
  With the key from a session variable DuckDB folds K0 and the pads to constants once per query.
#}
{% macro hmac_sha256_hex(key, message) -%}
    {{ return(adapter.dispatch('hmac_sha256_hex', 'csc')(key, message)) }}
{%- endmacro %}

{% macro duckdb__hmac_sha256_hex(key, message) -%}
    {%- set key_bytes -%}
        (case when octet_length(encode({{ key }})) > 64
              then unhex(sha256(encode({{ key }}))) else encode({{ key }}) end)
    {%- endset -%}
    {%- set k0 -%}
        ({{ key_bytes }} || repeat('\x00'::blob, 64 - octet_length({{ key_bytes }})))
    {%- endset -%}
    sha256(
        xor({{ k0 }}::bit, repeat('\x5c'::blob, 64)::bit)::blob
        || unhex(sha256(xor({{ k0 }}::bit, repeat('\x36'::blob, 64)::bit)::blob || encode({{ message }})))
    )
{%- endmacro %}

{#- Spark: the session variable csc.spark declares (its value bound as a parameter). -#}
{% macro spark__pseudonym_key() -%}
    (case when coalesce(session.csc_pseudonym_key, '') = ''
          then raise_error('csc_pseudonym_key is not set: run through csc.spark or declare the variable')
          else session.csc_pseudonym_key end)
{%- endmacro %}

{#
  Spark has sha2 but no XOR of binary values: K0's hex is cut into 16 words of 32 bits, each
  XORed with 0x36363636 (ipad) or 0x5c5c5c5c (opad) as a bigint and written back as 8 hex
  digits. Text is hashed as its UTF-8 bytes (encode), as on DuckDB.
#}
{% macro spark__hmac_sha256_hex(key, message) -%}
    {%- set key_bytes -%}
        (case when octet_length(encode({{ key }}, 'UTF-8')) > 64
              then unhex(sha2(encode({{ key }}, 'UTF-8'), 256)) else encode({{ key }}, 'UTF-8') end)
    {%- endset -%}
    {%- set k0_hex = 'rpad(hex(' ~ key_bytes ~ '), 128, \'0\')' -%}
    sha2(concat(
        {{ csc_spark_xor_words(k0_hex, 1549556828) }},
        unhex(sha2(concat({{ csc_spark_xor_words(k0_hex, 909522486) }}, encode({{ message }}, 'UTF-8')), 256))
    ), 256)
{%- endmacro %}

{#- 64 bytes given as 128 hex digits, each 32-bit word XORed with `pad`, as binary. -#}
{% macro csc_spark_xor_words(hex_expr, pad) -%}
    unhex(array_join(transform(sequence(0, 15),
        i -> lpad(hex(cast(conv(substr({{ hex_expr }}, i * 8 + 1, 8), 16, 10) as bigint) ^ {{ pad }}), 8, '0')), ''))
{%- endmacro %}
