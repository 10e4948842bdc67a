package com.cleversync.sandbox;

/** Clever resources as served by the sandbox (and later the real client). */
public enum SandboxResource { SCHOOLS, STUDENTS, TEACHERS, STAFF, SECTIONS, TERMS, COURSES }
