{#
  The LAchildID a person id stands for. A census return's child is kept even when DfE rules
  8500 (no LAchildID) and 8510 (an LAchildID repeated) report it, so csc import-cin-census
  gives such a child a person id of its own: ~M<year><line>~ (none), ~R<year><line>~<LAchildID>
  (a repeat), ~E00000000000000~<LAchildID> (a real one opening "~"); any other id is the
  LAchildID itself. The owner of that form is csc.cin_census.child_ids (this is its SQL twin,
  held to it by scripts/tests/test_cin_census_child_ids.py).
#}
{% macro cin_census_la_child_id(column) -%}
    case
        when {{ column }} like '~%'
            and length({{ column }}) >= 17
            and substring({{ column }}, 2, 1) in ('M', 'R', 'E')
            and {{ csc_regexp_full_match('substring(' ~ column ~ ', 3, 14)', '[0-9]{14}') }}
            and substring({{ column }}, 17, 1) = '~'
            then case when substring({{ column }}, 2, 1) = 'M' then null else substring({{ column }}, 18) end
        else {{ column }}
    end
{%- endmacro %}
